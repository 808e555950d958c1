import { h, field, show } from '../dom.js';
import { signInWithProvider, useToken } from '../session.js';

/** The sign-in page: the identity provider's button with OIDC, a token field in development. */
export function renderSignIn(view, { settings, message, returnTo, onSignedIn }) {
  const intro = message ? h('p', { class: 'notice warn', role: 'alert' }, message) : null;
  if (settings.signIn === 'oidc') {
    return show(view, h('h1', { tabindex: '-1' }, 'Sign in'), intro,
      h('p', {}, 'Sign in with your organisation account to use the console.'),
      h('button', { type: 'button', class: 'primary', onclick: () => signInWithProvider(returnTo) }, 'Sign in'));
  }

  const input = h('input', { name: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h('form', {
    onsubmit: (event) => {
      event.preventDefault();
      useToken(input.value);
      void onSignedIn();
    },
  }, field('Development token', input, './run.sh prints a sign-in link; or paste a token from `FurnitureOps.Api dev-token`.'),
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  return show(view, h('h1', { tabindex: '-1' }, 'Sign in'), intro, form);
}
