import { bearer, type FullResult, getJson } from '../lib/api.ts';
import { type Endpoints, roundIdFromLocation } from '../lib/config.ts';
import { h, liveRegion, replace } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { methodName } from '../lib/methods.ts';
import { explain, runPage, setTitle } from '../lib/page.ts';
import { resultView, statusBadge } from '../lib/results-view.ts';
import { resultsArePublic } from '../lib/round-rules.ts';
import { copyField, qrCode } from '../lib/share.ts';
import { adminToken, forgetAdminToken, rememberAdminToken } from '../lib/storage.ts';
import { askForToken, holdsAdminToken } from './manage/admin-token.ts';
import { closeControl } from './manage/close.ts';
import { deleteCard } from './manage/delete.ts';
import { downloadsCard } from './manage/downloads.ts';
import { duplicateCard } from './manage/duplicate.ts';
import { editRoundCard } from './manage/edit-round.ts';
import { invitationsSection } from './manage/invitations.ts';
import { scheduleControls } from './manage/schedule.ts';
import { presentLink } from './present/present-link.ts';

/**
 * The organizer's page. The admin token comes in the URL fragment (`#token=…`), which browsers
 * never send to a server, so it stays out of every access log; the page takes it out of the
 * address bar, asks the server whether it is right, and only then keeps it in localStorage and
 * shows the round as its admin's.
 */
runPage(
  async (endpoints, root) => {
    const roundId = roundIdFromLocation();
    const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (fromFragment) {
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    const stored = adminToken(roundId);
    const token = fromFragment ?? stored;
    const tryToken = async (candidate: string, remembered: boolean): Promise<void> => {
      if (!(await holdsAdminToken(endpoints, roundId, candidate))) {
        // A remembered token that no longer works (a mistyped one kept by an older version of
        // this page) goes too: it would list the round under "Rounds you created here".
        if (remembered) forgetAdminToken(roundId);
        askForToken(root, t('token.wrong'), retry);
        return;
      }
      await show(endpoints, root, roundId, candidate);
    };
    const retry = (next: string) =>
      void tryToken(next, false).catch((error: unknown) =>
        askForToken(root, explain(error), retry),
      );
    if (!token) {
      askForToken(root, null, retry);
      return;
    }
    await tryToken(token, token === stored);
  },
  // Links just issued live only in this page: a reload lets its "leave the page?" guard ask.
  { onLanguageChange: 'reload' },
);

async function show(
  endpoints: Endpoints,
  root: HTMLElement,
  roundId: string,
  token: string,
): Promise<void> {
  const result = await getJson<FullResult>(endpoints.vote(`/rounds/${roundId}`), bearer(token));
  rememberAdminToken(roundId, {
    token,
    name: result.name,
    voters: result.voters,
    listed: result.listed,
  });
  setTitle(t('manage.title', { name: result.name }));
  render(endpoints, root, result, token);
}

function render(endpoints: Endpoints, root: HTMLElement, result: FullResult, token: string): void {
  const id = result.round_id;
  const invited = result.voters === 'invited';
  const voteLink = endpoints.page(`r/${id}`);
  const resultsLink = endpoints.page(`r/${id}/results`);
  const manageLink = endpoints.page(`r/${id}/manage#token=${token}`);
  const announcer = liveRegion();
  const badge = h('span');
  const privacy = h('p', { class: 'hint' }, t('manage.onlyYou'));
  const view = resultView(result);
  const heading = h('h1', { dir: 'auto' });
  const settings = h('p', { class: 'meta' });
  const readRound = () => getJson<FullResult>(endpoints.vote(`/rounds/${id}`), bearer(token));

  // The round as last read: closing, every change of it and Refresh update every part from it.
  let current = result;
  const update = (latest: FullResult) => {
    current = latest;
    heading.textContent = latest.name;
    setTitle(t('manage.title', { name: latest.name }));
    // The home page's "Rounds you created here" shows the name as edited.
    rememberAdminToken(id, { token, name: latest.name });
    replace(settings, settingsLine(latest));
    replace(badge, statusBadge(latest));
    privacy.hidden = resultsArePublic(latest);
    view.update(latest);
    schedule.show(latest);
    close.show(latest);
    edit.show(latest);
    invitations?.update(latest);
  };
  const readAgain = async () => {
    try {
      const fresh = await readRound();
      update(fresh);
      return fresh;
    } catch {
      return null;
    }
  };
  const roundUrl = endpoints.vote(`/rounds/${id}`);
  const schedule = scheduleControls(roundUrl, token, readAgain);
  const edit = editRoundCard(roundUrl, token, readAgain);
  const close = closeControl(endpoints.vote(`/rounds/${id}/close`), token, async () => {
    announcer.textContent = t('manage.closedNow');
    return readAgain();
  });
  const invitations = invited ? invitationsSection(endpoints, result, token) : null;
  const refresh = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      onclick: async () => {
        try {
          update(await readRound());
          announcer.textContent = t('manage.refreshed');
        } catch (error) {
          announcer.textContent = explain(error);
        }
      },
    },
    t('manage.refresh'),
  );

  replace(
    root,
    h(
      'div',
      { class: 'title-row' },
      heading,
      h('span', { class: 'badge badge-admin' }, t('manage.admin')),
    ),
    settings,
    announcer,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'close-heading' },
      h('h2', { id: 'close-heading' }, t('manage.voting')),
      schedule.element,
      close.element,
    ),
    edit.element,
    invitations?.element,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'links-heading' },
      h('h2', { id: 'links-heading' }, t('manage.links')),
      h(
        'div',
        { class: 'share' },
        h(
          'div',
          { class: 'share-links' },
          copyField(t('links.vote'), voteLink, invited ? t('manage.invitedLink') : undefined),
          copyField(t('links.results'), resultsLink),
        ),
        // An invited round's plain link cannot vote: a QR code of it would only mislead.
        invited
          ? null
          : h(
              'figure',
              { class: 'qr-figure' },
              qrCode(voteLink, t('links.qr')),
              h('figcaption', null, t('links.scan')),
            ),
      ),
      copyField(t('links.admin'), manageLink, t('manage.adminPrivate')),
      presentLink(endpoints, id),
    ),
    downloadsCard(endpoints, id, token, () => current),
    h(
      'section',
      { class: 'card snapshot', 'aria-labelledby': 'snapshot-heading' },
      h('div', { class: 'title-row' }, h('h2', { id: 'snapshot-heading' }, t('manage.now')), badge),
      privacy,
      view.element,
      refresh,
    ),
    duplicateCard(endpoints, id, token),
    deleteCard(endpoints, root, id, token, () => current.name),
    h('p', { class: 'page-links' }, h('a', { href: resultsLink }, t('manage.openResults'))),
  );
  update(result);
}

/** The round's settings in one line, its start and deadline as they now are. */
function settingsLine(round: FullResult): string {
  return [
    methodName(round.method),
    t('manage.created', { when: formatDateTime(round.created_at) }),
    round.status === 'scheduled' && round.opens_at
      ? t('scheduled.opens', { when: formatDateTime(round.opens_at) })
      : null,
    round.status !== 'closed' && round.closes_at
      ? t('manage.closesBy', { when: formatDateTime(round.closes_at) })
      : null,
    round.voters === 'invited' ? t('vote.invitedOnly') : null,
    t(round.listed ? 'manage.listed' : 'manage.unlisted'),
    round.allow_revote ? t('manage.revote') : null,
    t(round.results_visibility === 'after_close' ? 'manage.afterClose' : 'manage.live'),
  ]
    .filter(Boolean)
    .join(' · ');
}
