/** The report page's style sheet: inline, so the page needs no network. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1f2937; --mute: #6b7280;
  --line: #e5e7eb; --ok: #15803d; --bad: #b91c1c; --warn: #b45309;
  --grey: #4b5563; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, "Segoe UI", Roboto, "Noto Sans",
  "DejaVu Sans", sans-serif; color: var(--ink); background: #f9fafb; }
header { position: sticky; top: 0; z-index: 2; background: #fff;
  border-bottom: 1px solid var(--line); padding: 10px 20px; }
h1 { font-size: 18px; margin: 0 0 2px; }
h1 .file { font-weight: 400; color: var(--mute); margin-left: 6px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.meta { margin: 0 0 6px; color: var(--mute); }
.counts { display: flex; flex-wrap: wrap; gap: 6px; list-style: none;
  margin: 0 0 8px; padding: 0; }
.tools { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
#filter { flex: 1 1 420px; max-width: 640px; padding: 6px 10px; font: inherit;
  border: 1px solid #cbd5e1; border-radius: 6px; }
#shown { color: var(--mute); min-width: 110px; }
button { font: inherit; padding: 5px 10px; border: 1px solid #cbd5e1;
  border-radius: 6px; background: #fff; cursor: pointer; }
main { padding: 12px 20px 40px; }
details.rec { background: #fff; border: 1px solid var(--line);
  border-radius: 8px; margin: 0 0 10px; }
details.rec > summary { cursor: pointer; padding: 8px 12px; display: flex;
  flex-wrap: wrap; gap: 6px 10px; align-items: center; }
details.rec[open] > summary { border-bottom: 1px solid var(--line); }
.name { font-weight: 700; font-family: ui-monospace, "DejaVu Sans Mono",
  monospace; }
.parent { color: var(--mute); font-size: 12px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { background: #eef2ff; color: #3730a3; border-radius: 10px;
  padding: 1px 8px; font-size: 12px; }
.chip .fld, .chg .fld { color: var(--mute); font-size: 11px; }
.count { color: var(--mute); font-size: 12px; margin-left: auto; }
.flag, .out { border-radius: 4px; padding: 0 6px; font-size: 12px;
  font-weight: 600; color: #fff; background: var(--grey); white-space: nowrap; }
.o-applied .out { background: var(--ok); }
.o-conflict .out, .o-invalid .out, .flag.o-conflict, .flag.o-invalid {
  background: var(--bad); }
.o-parked .out, .flag.o-parked { background: var(--warn); }
.body { display: flex; gap: 12px; padding: 10px 12px; align-items: flex-start; }
.timeline { flex: 1 1 0; min-width: 0; overflow-x: auto; }
@media (max-width: 1100px) { .body { flex-direction: column; }
  .body > * { width: 100%; } }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px;
  border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--mute); font-weight: 600;
  white-space: nowrap; }
td.num { text-align: right; color: var(--mute); }
td.ev, td.ty { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12px; }
td.ev { white-space: nowrap; }
td.ev.long { white-space: normal; overflow-wrap: anywhere; min-width: 12ch; }
td.app { font-size: 12px; color: var(--mute); }
.rule { min-width: 9em; }
.rule .rid { white-space: nowrap; }
.rid { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12px; font-weight: 700; color: #1e3a8a; }
.cmd { font-size: 12px; }
.cmd-data { color: var(--mute); font-size: 11px; word-break: break-word; }
.none { color: var(--mute); }
.chg { font-size: 12px; }
.also { font-size: 12px; color: var(--mute); }
.note { color: var(--warn); font-size: 12px; }
.err { color: var(--bad); font-size: 12px; }
.diagram { flex: 0 1 auto; margin: 0; max-width: 40%; cursor: zoom-in; }
.rec.wide .body { flex-direction: column; }
.rec.wide .diagram { max-width: 100%; cursor: zoom-out; overflow-x: auto; }
.rec.wide svg.machine { max-width: none; }
@media (max-width: 1100px) { .diagram { max-width: 100%; } }
svg.machine { display: block; max-width: 100%; height: auto; }
svg.machine text { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans",
  "DejaVu Sans", sans-serif; }
.st rect { fill: #fff; stroke: #94a3b8; }
.st .nm { font-size: 12px; font-weight: 600; text-anchor: middle;
  fill: #111827; }
.st .cd { font-size: 11px; text-anchor: middle; fill: var(--mute);
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.st .lp { font-size: 10.5px; text-anchor: middle; fill: var(--mute); }
.box rect { fill: #f8fafc; stroke: #cbd5e1; }
.box.par rect { fill: #f1f5f9; stroke-dasharray: 5 3; }
.box .hd { font-size: 10.5px; font-weight: 700; fill: #334155; }
.tr path { fill: none; stroke: #64748b; stroke-width: 1.2; }
.tr path.ev { stroke-dasharray: 3 3; }
.tr .rl { font-size: 10.5px; text-anchor: middle; fill: #1e3a8a;
  paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.init circle { fill: #111827; }
.init path { stroke: #111827; }
.st.seen rect { fill: #fef3c7; }
.st.on rect { fill: #fcd34d; stroke: #b45309; stroke-width: 2.5; }
.box.on > rect { stroke: #b45309; stroke-width: 1.5; }
.legend { font-size: 12px; color: var(--mute); margin-top: 4px; }
.legend i { display: inline-block; width: 12px; height: 12px;
  border-radius: 3px; vertical-align: -2px; margin: 0 4px 0 10px;
  border: 1px solid #b45309; }
.legend i.on { background: #fcd34d; }
.legend i.seen { background: #fef3c7; border-color: #94a3b8; }
.empty { color: var(--mute); }
[hidden] { display: none !important; }
`;

/**
 * The report page's script: draws a record's statechart when it is first
 * unfolded (one template per machine, cloned), lights its current and past
 * states, and filters records by what is typed. It reads only the page.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var fold = function (text) {
    return text.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '')
      .replace(/[\\u0111\\u0110]/g, 'd').toLowerCase();
  };
  var records = Array.prototype.slice.call(
    document.querySelectorAll('details.rec'));
  var input = document.getElementById('filter');
  var shown = document.getElementById('shown');

  function draw(record) {
    var later = record.querySelector('template.later');
    if (later) {
      record.appendChild(later.content.cloneNode(true));
      record.removeChild(later);
    }
    var figure = record.querySelector('.diagram');
    if (!figure || figure.firstChild) return;
    var template = document.getElementById('m-' + record.dataset.machine);
    if (!template) return;
    figure.appendChild(template.content.cloneNode(true));
    var legend = document.createElement('figcaption');
    legend.className = 'legend';
    legend.appendChild(document.createTextNode(record.dataset.machine));
    var keys = [
      ['on', 'now'],
      ['seen', 'seen in this replay · click to enlarge']
    ];
    keys.forEach(function (key) {
      var swatch = document.createElement('i');
      swatch.className = key[0];
      legend.appendChild(swatch);
      legend.appendChild(document.createTextNode(key[1]));
    });
    figure.appendChild(legend);
    var now = record.dataset.states.split(' ');
    var seen = record.dataset.visited.split(' ');
    var nodes = figure.querySelectorAll('[data-state]');
    for (var i = 0; i < nodes.length; i++) {
      var id = nodes[i].getAttribute('data-state');
      var lit = now.some(function (state) {
        return state === id || state.indexOf(id + '.') === 0;
      });
      if (lit) nodes[i].classList.add('on');
      else if (seen.indexOf(id) !== -1) nodes[i].classList.add('seen');
    }
  }

  document.addEventListener('click', function (event) {
    // A click on a statechart gives it the record's full width, and back.
    var figure = event.target.closest && event.target.closest('.diagram');
    if (!figure) return;
    var record = figure.closest('details.rec');
    if (record) record.classList.toggle('wide');
  });

  records.forEach(function (record) {
    if (record.open) draw(record);
    record.addEventListener('toggle', function () {
      if (record.open) draw(record);
    });
  });

  function filter() {
    var terms = fold(input.value).split(/\\s+/).filter(Boolean);
    var count = 0;
    records.forEach(function (record) {
      var text = record.dataset.search;
      var match = terms.every(function (term) {
        return text.indexOf(term) !== -1;
      });
      if (record.hidden === match) record.hidden = !match;
      if (match) count += 1;
    });
    shown.textContent = count + ' / ' + records.length + ' records';
  }
  var pending = 0;
  input.addEventListener('input', function () {
    // Typing fast filters once, not once per key, on large pages.
    clearTimeout(pending);
    pending = setTimeout(filter, records.length > 500 ? 150 : 0);
  });

  document.getElementById('open-all').addEventListener('click', function () {
    records.forEach(function (record) {
      if (!record.hidden) record.open = true;
    });
  });
  document.getElementById('close-all').addEventListener('click', function () {
    records.forEach(function (record) { record.open = false; });
  });

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === 'DETAILS') {
      target.hidden = false;
      target.open = true;
    }
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
`;
