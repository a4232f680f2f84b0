// The only module that knows the server's URLs. Every call resolves to parsed JSON or throws an
// ApiError whose message is the server's human `detail`, so views can show it as it is.

import { keyFor, rememberKey } from './keys.js';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detailText(detail) || `request failed with HTTP ${status}`);
    this.status = status;
  }
}

// FastAPI validation errors arrive as a list of {loc, msg}; say which field and what is wrong.
function detailText(detail) {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const where = (d.loc || []).filter((p) => p !== 'body').join('.');
      return where ? `${where}: ${d.msg}` : d.msg;
    }).join('; ');
  }
  return detail ? JSON.stringify(detail) : '';
}

const NETWORK_IN_PATH = /^\/api\/networks\/([^/?]+)/; // the id's grammar is the server's (options.ids)

async function request(method, path, body, type = 'application/json') {
  const init = { method, headers: {} };
  const owned = keyFor((NETWORK_IN_PATH.exec(path) || [])[1]);
  if (owned && method !== 'GET') init.headers.Authorization = `Bearer ${owned}`;
  if (body !== undefined || method !== 'GET') { // the server takes changes only as JSON (no cross-site forms)
    init.headers['Content-Type'] = type;
    init.body = type === 'application/json' ? JSON.stringify(body === undefined ? {} : body) : body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, 'the server cannot be reached; is it still running?');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data && data.detail);
  if (data && data.key && data.id) rememberKey(data.id, data.key); // shown once, by the call that made it
  return data;
}

// A page opened on a share link (/s/{code}) reads the snapshot as it would a network: its code
// stands for the id, and its reads go to /api/snapshots/{code}.
let shareCode = null;
export const openShareLink = (code) => { shareCode = code; };
export const isShareCode = (id) => Boolean(shareCode) && id === shareCode;
const net = (id) => (isShareCode(id) ? `/api/snapshots/${encodeURIComponent(id)}` : `/api/networks/${encodeURIComponent(id)}`);

// `near`: a network of yours whose shard the new one is made on (a class follows it: a class moves only
// within its shard, docs/scaling.md); without it any shard makes it.
export const createNetwork = (config, near = null) => request('POST', near ? `${net(near)}/beside` : '/api/networks', config);
export const getNetwork = (id) => request('GET', net(id));
export const getData = (id) => request('GET', `${net(id)}/data`);
export const patchNetwork = (id, changes) => request('PATCH', net(id), changes);
export const stepNetwork = (id, by, count = 1, trace = false) =>
  request('POST', `${net(id)}/step`, { by, count, trace });
export const setParameter = (id, paramId, value) =>
  request('PUT', `${net(id)}/parameters/${encodeURIComponent(paramId)}`, { value });
export const resetNetwork = (id, seed) =>
  request('POST', `${net(id)}/reset`, seed === undefined ? {} : { seed });
export const predict = (id, x) => request('POST', `${net(id)}/predict`, { x });
export const getGrid = (id, resolution, axes) =>
  request('GET', `${net(id)}/grid?resolution=${resolution}${axes ? `&axes=${axes}` : ''}`);
export const getChain = (id, weight, sample = 0) =>
  request('GET', `${net(id)}/chain?weight=${encodeURIComponent(weight)}&sample=${sample}`);
export const getDatasets = () => request('GET', '/api/datasets');
export const forkNetwork = (id) => request('POST', `${net(id)}/fork`);
export const forkSnapshot = (code) => request('POST', `/api/snapshots/${encodeURIComponent(code)}/fork`);
export const findClass = (code) => request('GET', `/api/classes/${encodeURIComponent(code)}`);
export const openClass = (id) => request('POST', `${net(id)}/class`);
export const getClass = (id) => request('GET', `${net(id)}/class`);
export const endClass = (id) => request('DELETE', `${net(id)}/class`);
export const moveClass = (id, to, key) => request('POST', `${net(id)}/class/move`, { network_id: to, key });
export const takeSnapshot = (id) => request('POST', `${net(id)}/snapshots`);
export const putData = (id, data) => request('PUT', `${net(id)}/data`, data);
export const importNetwork = (doc) => request('POST', '/api/networks/import', doc);
export const exportUrl = (id, format) => `${net(id)}/export?format=${encodeURIComponent(format)}`;
export const parseCsv = (text, query) => request('POST', `/api/datasets/csv?${query}`, text, 'text/csv');

export function liveUrl(id) {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${net(id)}/live`;
}

// Time travel, lessons and questions (timetravel.js).
export const rewind = (id, step, phase = 0, trace = false) =>
  request('POST', `${net(id)}/rewind`, { step, phase, trace });
export const getTimeline = (id) => request('GET', `${net(id)}/timeline`);
export const previewAt = (id, step, grid = 0) =>
  request('GET', `${net(id)}/timeline/preview?step=${step}&history=2000&grid=${grid}`);
export const listLessons = () => request('GET', '/api/lessons');
export const getLesson = (slug) => request('GET', `/api/lessons/${encodeURIComponent(slug)}`);
export const startLesson = (slug, near = null) =>
  request('POST', `${near ? `${net(near)}/lessons` : '/api/lessons'}/${encodeURIComponent(slug)}/start`);
export const showLessonStep = (id, slug, step) => request('PUT', `${net(id)}/lesson`, { slug, step });
export const closeLessonStep = (id) => request('DELETE', `${net(id)}/lesson`);
export const askQuestion = (id, body) => request('POST', `${net(id)}/questions`, body);
export const answerQuestion = (id, qid, choice, voter) =>
  request('POST', `${net(id)}/questions/${encodeURIComponent(qid)}/answers`, { choice, voter });
export const revealQuestion = (id, qid) => request('POST', `${net(id)}/questions/${encodeURIComponent(qid)}/reveal`);
