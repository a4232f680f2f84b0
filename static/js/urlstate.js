// The whole configuration lives in the query string, one parameter per field of the server's table
// (same values and defaults as the API), so a link reproduces a run exactly (seed included) and `id`
// lets a reload pick the network up from the server. Parameters that are no field (a view option, a
// lesson) are kept as they are. `readUrl`/`toQuery` are pure; only `writeUrl` touches the browser, and
// the page calls it with a configuration the server has accepted.
import { formatText, getValue, paramOf, parseText, setValue } from './fields.js';

// defaults: a full configuration (fields.js `defaultsOf`); unknown or unreadable values keep theirs.
export function readUrl(fields, defaults, search) {
  const q = new URLSearchParams(search);
  const config = structuredClone(defaults);
  for (const field of fields) {
    const param = paramOf(field, fields);
    if (!q.has(param)) continue;
    const value = parseText(field, q.get(param));
    if (value !== undefined) setValue(config, field.name, value);
  }
  return { config, id: q.get('id') };
}

// search: the query string to start from (its other parameters stay); the id goes last.
export function toQuery(fields, config, id, search = '') {
  const q = new URLSearchParams(search);
  for (const field of fields) {
    const value = getValue(config, field.name);
    if (value === undefined || value === null) q.delete(paramOf(field, fields));
    else q.set(paramOf(field, fields), formatText(field, value));
  }
  q.delete('id');
  if (id) q.set('id', id);
  return q.toString().replaceAll('%2C', ',');
}

export function writeUrl(fields, config, id) {
  const url = `${window.location.pathname}?${toQuery(fields, config, id, window.location.search)}`;
  if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
}
