// Who is signed in. The token lives in this tab's sessionStorage only (never localStorage, never a URL sent to
// the server): a development link carries it in the fragment, which browsers do not send, and the console
// removes it from the address bar at once. With OpenID Connect, oidc-client-ts runs the authorization code flow
// with PKCE and keeps its user (and its sign-in state) in sessionStorage too.

const tokenKey = 'furnitureops.console.token';
export const callbackPath = '/console/callback';

let settings = null;
let users = null; // oidc.UserManager, with OIDC sign-in
let accessToken = null;

export async function startSession(consoleSettings) {
  settings = consoleSettings;
  if (settings.signIn === 'oidc') {
    const store = new oidc.WebStorageStateStore({ store: window.sessionStorage });
    users = new oidc.UserManager({
      authority: settings.authority,
      client_id: settings.clientId,
      redirect_uri: `${location.origin}${callbackPath}`,
      post_logout_redirect_uri: `${location.origin}/console/`,
      response_type: 'code',
      response_mode: 'fragment', // the code comes back in the fragment, so it never reaches a server log
      scope: settings.scope,
      userStore: store,
      stateStore: store,
      automaticSilentRenew: false,
      monitorSession: false,
      loadUserInfo: false,
    });
    if (location.pathname === callbackPath) {
      const user = await users.signinRedirectCallback();
      history.replaceState(null, '', user.state?.returnTo || '/console/');
    }

    const user = await users.getUser();
    accessToken = user && !user.expired ? user.access_token : null;
    return;
  }

  const match = /^#token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(tokenKey, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }

  accessToken = sessionStorage.getItem(tokenKey);
}

export const token = () => accessToken;

export const signInKind = () => settings.signIn;

/** Development: sign in with a pasted token. */
export function useToken(value) {
  sessionStorage.setItem(tokenKey, value.trim());
  accessToken = value.trim();
}

/** Ends the session (a 401, or sign out); with OIDC the next sign-in goes back to the identity provider. */
export async function endSession() {
  accessToken = null;
  sessionStorage.removeItem(tokenKey);
  await users?.removeUser();
}

/** With OIDC: off to the identity provider, and back to returnTo after. */
export async function signInWithProvider(returnTo) {
  await users.signinRedirect({ state: { returnTo } });
}
