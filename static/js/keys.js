// Owner keys of the networks this browser made (create, import, fork): kept in localStorage, sent
// with every request that changes one of them. A page without its network's key is a follower.
const STORE = 'backprop-playground.keys';

function all() {
  try {
    return JSON.parse(localStorage.getItem(STORE) || '{}') || {};
  } catch (err) {
    return {};
  }
}

export function keyFor(id) {
  return (id && all()[id]) || null;
}

export function rememberKey(id, key) {
  const keys = all();
  keys[id] = key;
  try {
    localStorage.setItem(STORE, JSON.stringify(keys));
  } catch (err) {
    // storage full or disabled: this page still owns the network until it is closed
  }
}
