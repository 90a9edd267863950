const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and SVG, in element content and in quoted
 * attributes alike: event data is untrusted.
 *
 * @example
 * escapeHtml('<script>'); // '&lt;script&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** Attribute values; an undefined or false one is left out. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * Writes one element with escaped attribute values around `content`, which
 * must already be markup (escape text with {@link escapeHtml}).
 *
 * @example
 * tag('td', { class: 'num' }, '5'); // '<td class="num">5</td>'
 */
export function tag(
  name: string,
  attributes: Attributes,
  content = '',
): string {
  const written = Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([key, value]) =>
      value === true ? ` ${key}` : ` ${key}="${escapeHtml(String(value))}"`,
    )
    .join('');

  return `<${name}${written}>${content}</${name}>`;
}

/** An element with nothing inside and no closing tag (SVG shapes). */
export function empty(name: string, attributes: Attributes): string {
  return tag(name, attributes).replace(`></${name}>`, '/>');
}
