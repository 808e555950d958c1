import { api, ApiError, configureApi } from './api.js';
import { h, problem, show } from './dom.js';
import { endSession, startSession, token } from './session.js';
import { renderAttention } from './views/attention.js';
import { renderAudit } from './views/audit.js';
import { renderDeadLetters } from './views/dead-letters.js';
import { renderHome } from './views/home.js';
import { renderPlayer } from './views/player.js';
import { renderSignIn } from './views/sign-in.js';
import { renderSku } from './views/sku.js';

// Deep links: each view is a path under /console that can be pasted into a ticket.
const routes = [
  [/^\/console\/?$/, renderHome],
  [/^\/console\/skus\/([^/]+)$/, renderSku],
  [/^\/console\/players\/([^/]+)$/, renderPlayer],
  [/^\/console\/attention$/, renderAttention],
  [/^\/console\/dead-letters$/, renderDeadLetters],
  [/^\/console\/audit$/, renderAudit],
];

const view = document.getElementById('view');
const who = document.getElementById('who');
let settings = null;
let me = null;
let signInMessage = null;

configureApi({
  token,
  onUnauthorized: () => {
    // The token expired or was refused: drop it and ask for a new one, coming back here after.
    me = null;
    signInMessage = 'Your session has ended (the token expired or was not accepted). Sign in again.';
    void endSession().then(render);
  },
});

export function navigate(path) {
  history.pushState(null, '', path);
  return render();
}

async function render() {
  const path = location.pathname;
  if (!token()) {
    show(who); // nobody is signed in now: no name and no Sign out beside the sign-in page
    return renderSignIn(view, { settings, message: signInMessage, returnTo: returnTo(), onSignedIn: signedIn });
  }

  if (!me) {
    try {
      me = (await api('GET', '/v1/me')).body;
    } catch (error) {
      if (error.status === 401) return undefined; // onUnauthorized re-renders the sign-in
      return show(view, h('h1', { tabindex: '-1' }, 'FurnitureOps console'), problem(error));
    }

    showWho();
  }

  const match = routes.map(([pattern, renderView]) => [pattern.exec(path), renderView]).find(([found]) => found);
  if (!match) {
    return show(view, h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'The console has no page at this address.'));
  }

  const [found, renderView] = match;
  const context = {
    me,
    settings,
    params: found.slice(1).map(decodeURIComponent),
    query: new URLSearchParams(location.search),
    can: (scope) => me.scopes.includes(scope),
    navigate,
  };
  try {
    await renderView(view, context);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status !== 401) show(view, h('h1', { tabindex: '-1' }, 'Something went wrong'), problem(error));
  }

  view.querySelector('h1')?.focus();
  return undefined;
}

function returnTo() {
  return location.pathname === '/console/callback' ? '/console/' : location.pathname + location.search;
}

function signedIn() {
  signInMessage = null;
  return render();
}

function showWho() {
  for (const item of document.querySelectorAll('[data-scope]')) item.hidden = !me.scopes.includes(item.dataset.scope);
  show(who, h('span', {}, `${me.subject} · ${me.tenantId}`), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => { me = null; signInMessage = 'Signed out.'; void endSession().then(render); } }, 'Sign out'));
}

// Links inside the console change the view without reloading the page (and without dropping the session).
document.addEventListener('click', (event) => {
  const anchor = event.target.closest?.('a[href^="/console"]');
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  void navigate(anchor.getAttribute('href'));
});
window.addEventListener('popstate', () => void render());

async function start() {
  try {
    settings = await (await fetch('/console/config.json', { cache: 'no-store' })).json();
    await startSession(settings);
  } catch (error) {
    show(view, h('h1', { tabindex: '-1' }, 'The console could not start'), h('p', { role: 'alert' }, String(error?.message ?? error)));
    return;
  }

  await render();
}

void start();
