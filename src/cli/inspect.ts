import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createWebSocketInspector,
  type StatelyInspectionEvent,
} from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { WebSocket, WebSocketServer } from 'ws';
import { CliError, type Io } from './command.js';

/** The only address the inspector listens on: nothing leaves the machine. */
export const INSPECT_HOST = '127.0.0.1';

/** The inspector's default port, Stately's usual one. */
export const INSPECT_PORT = 8080;

/** A running inspection relay; see {@link startInspectorServer}. */
export interface InspectorServer {
  readonly port: number;
  /** Where WebSocket clients connect: `ws://127.0.0.1:<port>`. */
  readonly url: string;
  /** The local viewer page: `http://127.0.0.1:<port>/`. */
  readonly page: string;
  /** Messages received from inspectors so far. */
  readonly received: number;
  /** Resolves when `count` clients are connected, or rejects after `ms`. */
  waitForClients(count: number, ms: number): Promise<void>;
  close(): Promise<void>;
}

/** What {@link startInspectorServer} accepts. */
export interface InspectorServerOptions {
  /** Default {@link INSPECT_PORT}; 0 picks a free port. */
  port?: number;
  /** Messages kept for viewers that connect late. Default 20 000. */
  keep?: number;
}

/**
 * Starts the inspection relay on 127.0.0.1 only: every message a client
 * sends goes to every other client, and the last `keep` messages go to each
 * new one, so a viewer opened after the replay still sees it all. `GET /`
 * serves an offline viewer page. Browser connections from any other page
 * (an `Origin` other than this server's) are refused, so that a web site
 * open in the same browser cannot read the events.
 *
 * @example
 * const server = await startInspectorServer({ port: 0 });
 * const inspector = createWebSocketInspector({ url: server.url });
 */
export async function startInspectorServer(
  options: InspectorServerOptions = {},
): Promise<InspectorServer> {
  const keep = options.keep ?? 20_000;
  const kept: string[] = [];
  let received = 0;
  let port = options.port ?? INSPECT_PORT;

  const origins = () =>
    new Set([`http://${INSPECT_HOST}:${port}`, `http://localhost:${port}`]);
  const httpServer = http.createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '/') !== '/') {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not found\n');

      return;
    }

    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': viewerPolicy(port),
      'cache-control': 'no-store',
    });
    response.end(VIEWER_PAGE);
  });
  const wss = new WebSocketServer({
    server: httpServer,
    verifyClient: ({ origin }: { origin?: string }) =>
      origin === undefined || origin === '' || origins().has(origin),
  });

  // ws re-emits the HTTP server's errors (a port in use): the listen below
  // reports them, so this only keeps them from crashing the process.
  wss.on('error', () => {});

  wss.on('connection', (socket) => {
    for (const message of kept) socket.send(message);
    socket.on('message', (data) => {
      const message = data.toString();
      received += 1;
      kept.push(message);
      if (kept.length > keep) kept.shift();
      for (const client of wss.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) {
          client.send(message);
        }
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError(
              `port ${port} on ${INSPECT_HOST} is in use: pick another with --inspect-port`,
            )
          : error,
      );
    });
    httpServer.listen(port, INSPECT_HOST, () => resolve());
  });
  port = (httpServer.address() as AddressInfo).port;

  return {
    port,
    url: `ws://${INSPECT_HOST}:${port}`,
    page: `http://${INSPECT_HOST}:${port}/`,
    get received() {
      return received;
    },
    waitForClients(count, ms) {
      return new Promise((resolve, reject) => {
        if (wss.clients.size >= count) {
          resolve();

          return;
        }

        const timer = setTimeout(() => {
          wss.off('connection', check);
          reject(new Error(`no inspector connected within ${ms} ms`));
        }, ms);
        const check = () => {
          if (wss.clients.size < count) return;

          clearTimeout(timer);
          wss.off('connection', check);
          resolve();
        };
        wss.on('connection', check);
      });
    },
    close() {
      for (const client of wss.clients) client.terminate();

      return new Promise((resolve) => {
        wss.close(() => httpServer.close(() => resolve()));
      });
    },
  };
}

/** A live inspection session for `replay --inspect`. */
export interface Inspection {
  /** The observer to give `createEngine({ inspect })`. */
  readonly observer: Observer<InspectionEvent>;
  readonly server: InspectorServer;
  /**
   * Waits until every event is relayed; then, when `stay` is true, keeps
   * serving until Ctrl-C (SIGINT) or SIGTERM; then stops everything.
   */
  finish(stay: boolean): Promise<void>;
}

/**
 * Starts the relay and a Stately WebSocket inspector connected to it, and
 * tells on stderr where to watch. The machine definition travels with the
 * first actor of each machine only: the engine starts one short-lived actor
 * per event, and the definition would otherwise repeat with every one.
 *
 * @example
 * const inspection = await startInspection(io, 8080);
 * const engine = createEngine({ inspect: inspection.observer });
 */
export async function startInspection(
  io: Io,
  port: number,
): Promise<Inspection> {
  const server = await startInspectorServer({ port });
  const firstSession = new Map<string, string>();
  const inspector = createWebSocketInspector({
    url: server.url,
    autoStart: false,
    maxDeferredEvents: 100_000,
    serialize: (event: StatelyInspectionEvent) => {
      if (event.type !== '@xstate.actor') return event;

      const first = firstSession.get(event.name) ?? event.sessionId;
      firstSession.set(event.name, first);

      return first === event.sessionId
        ? event
        : ({ ...event, definition: undefined } as StatelyInspectionEvent);
    },
  });
  inspector.start();

  try {
    await server.waitForClients(1, 5_000);
  } catch (error) {
    inspector.stop();
    await server.close();
    throw error;
  }
  io.err(
    `lienthong: inspecting on ${INSPECT_HOST} only. Watch the events at ` +
      `${server.page} or connect a WebSocket client (e.g. Stately's ` +
      `createWebSocketReceiver) to ${server.url}\n`,
  );

  return {
    observer: inspector.inspect,
    server,
    async finish(stay) {
      await settle(() => server.received);
      if (stay) {
        io.err(
          `lienthong: replay done; still serving ${server.page} — press ` +
            'Ctrl-C to stop\n',
        );
        await untilInterrupted();
      }

      inspector.stop();
      await server.close();
    },
  };
}

/** Resolves once `count()` has not grown for a while, or after 10 s. */
async function settle(count: () => number): Promise<void> {
  const started = Date.now();
  let last = -1;
  while (Date.now() - started < 10_000) {
    // The inspector sends from timers of its own: give them a turn first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = count();
    if (now === last) return;

    last = now;
  }
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** The viewer's script; its hash is the only script the page may run. */
const VIEWER_SCRIPT = `
(function () {
  'use strict';
  var rows = document.getElementById('rows');
  var status = document.getElementById('status');
  var names = {};
  var last = {};
  var count = 0;
  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function show(message) {
    if (message.type === '@xstate.actor') {
      names[message.sessionId] = message.name;
      return;
    }
    var event = message.event || {};
    if (!event.id) return;
    if (message.type === '@xstate.event') {
      var row = document.createElement('tr');
      count += 1;
      cell(row, String(count), 'n');
      cell(row, names[message.sessionId] || message.sessionId);
      cell(row, event.source || '');
      cell(row, event.type, 'm');
      cell(row, event.key || '', 'm');
      cell(row, event.id, 'm');
      last[message.sessionId] = cell(row, '…', 's');
      rows.appendChild(row);
    } else if (message.type === '@xstate.snapshot') {
      var target = last[message.sessionId];
      if (target) target.textContent =
        JSON.stringify(message.snapshot && message.snapshot.value);
    }
  }
  var socket = new WebSocket('ws://' + location.host + '/');
  socket.onopen = function () { status.textContent = 'connected'; };
  socket.onclose = function () { status.textContent = 'disconnected'; };
  socket.onmessage = function (message) {
    try { show(JSON.parse(message.data)); } catch (error) { /* not ours */ }
  };
})();
`;

const VIEWER_PAGE = `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>lienthong inspector</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1f2937; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e5e7eb;
  vertical-align: top; }
td.m, td.s { font-family: ui-monospace, monospace; font-size: 12px; }
td.m { white-space: nowrap; }
td.n { color: #6b7280; text-align: right; }
#status { color: #6b7280; }
</style></head><body>
<h1>lienthong inspector <small id="status">connecting…</small></h1>
<p>Every event a machine receives, and the state it leaves the machine in,
as the XState inspection stream reports them (local only).</p>
<table><thead><tr><th>#</th><th>Machine</th><th>App</th><th>Event</th>
<th>Key</th><th>Id</th><th>State after</th></tr></thead>
<tbody id="rows"></tbody></table>
<script>${VIEWER_SCRIPT}</script>
</body></html>
`;

function viewerPolicy(port: number): string {
  const hash = createHash('sha256').update(VIEWER_SCRIPT).digest('base64');

  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'sha256-${hash}'`,
    `connect-src ws://${INSPECT_HOST}:${port} ws://localhost:${port}`,
  ].join('; ');
}
