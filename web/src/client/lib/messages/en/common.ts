/** The English words of the page shell, errors, the voting methods and shared controls. */
export const common = {
  'shell.skip': 'Skip to content',
  'shell.create': 'Create a round',
  'shell.site': 'Site',
  'shell.language': 'Language',

  'page.failed': 'Something went wrong',
  'page.title': '{name} · Votes',

  'common.cancel': 'Cancel',

  'error.network': 'The server could not be reached. Check your connection and try again.',
  'error.originRefused':
    'The server at {api} refuses requests from pages opened at {page}: it is set up to serve another address. Open the link the organizer shared, or ask whoever runs the server to allow {page}.',
  'error.roundNotFound': 'There is no such round. Check the link you were given.',
  'error.invalidRequest': 'This link does not point to a round. Check the link you were given.',
  'error.unavailable': 'The service is having trouble right now. Please try again in a moment.',
  'error.rateLimited':
    'Too many requests from this network just now. Please wait a minute and try again.',
  'error.server': 'The server refused: {message}',

  'method.plurality.name': 'Pick one',
  'method.plurality.summary': 'Each voter chooses one option. Most votes wins.',
  'method.plurality.figure': 'Votes',
  'method.plurality.note': '',
  'method.plurality.units': { one: '{count} vote', other: '{count} votes' },
  'method.approval.name': 'Approval (pick any)',
  'method.approval.summary': 'Each voter ticks every option they like. Most approvals wins.',
  'method.approval.figure': 'Approvals',
  'method.approval.note':
    'Share of all ballots approving each option (a ballot may approve several, so the shares add up to more than 100 %).',
  'method.approval.units': { one: '{count} approval', other: '{count} approvals' },
  'method.ranked.name': 'Ranked choice (instant runoff)',
  'method.ranked.summary':
    'Each voter ranks the options they care about. The last option is dropped round by round and its ballots move to their next choice, until one option has more than half.',
  'method.ranked.figure': 'First choices',
  'method.ranked.note': 'Share of all ballots that rank each option first.',
  'method.ranked.units': { one: '{count} vote', other: '{count} votes' },
  'method.condorcet.name': 'Ranked, head to head (Condorcet)',
  'method.condorcet.summary':
    'Each voter ranks the options they care about. Every pair of options is compared; the option that beats the others head to head wins (Schulze method).',
  'method.condorcet.figure': 'First choices',
  'method.condorcet.note': 'Share of all ballots that rank each option first.',
  'method.condorcet.units': { one: '{count} vote', other: '{count} votes' },

  'status.open': 'Open',
  'status.closed': 'Closed',
  'status.final': 'Final result',
  'copy.button': 'Copy',
  'copy.the': 'Copy the {label}',
  'copy.done': 'Copied',
  'copy.byHand': 'Select and copy by hand',
  'turnout.of': '{voted} of {eligible}',
  'turnout.voted': { one: 'invited voter has voted', other: 'invited voters have voted' },
  'turnout.none': 'No invitations yet: issue them below.',
  'turnout.all': 'Everyone invited has voted.',
  'turnout.waiting': {
    one: '{count} invitation not used yet. Revoked invitations are not counted.',
    other: '{count} invitations not used yet. Revoked invitations are not counted.',
  },
} as const;
