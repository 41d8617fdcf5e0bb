/** The English words of the presenter view and the join code. */
export const presenter = {
  'present.title': '{name}: presenting',
  'present.heading': 'Presenter view',
  'present.fullscreen': 'Full screen',
  'present.join': 'Join and vote',
  'present.scanOrGo': 'Scan the QR code, or go to',
  'present.code': 'Join code',
  'present.scanOrOpen': 'Scan the QR code, or open',
  'present.invited':
    'Only invited voters can vote in this round: each uses the link from their invitation.',
  'present.opens': 'Voting opens {when}.',
  'present.closed': 'Voting has closed.',
  'present.results': 'Live results',
  'present.resultsPage': 'Results page',
  'present.votePage': 'Voting page',
  'present.open': 'Present on a screen',
  'present.openHint':
    'Full screen for a projector: the QR code, a short join code and the live results.',

  'join.label': 'Join with a code',
  'join.hint': 'The 6-character code on the organizer’s screen, like K7M QP2.',
  'join.button': 'Join',
  'join.looking': 'Looking for the round…',
  'join.malformed':
    'That is not a join code: a code has 6 letters and digits, like K7M QP2. Check it against the organizer’s screen.',
  'join.unknown':
    'No round has the code {code}. Check it against the organizer’s screen: a code stops working a day after its round closes.',
  'join.title': 'No round has this code',
  'join.heading': 'No round has this code',
  'join.lead':
    'The address you opened ends in a code that leads to no round. Check the code against the organizer’s screen and type it again: a code stops working a day after its round closes.',
  'join.home': 'All open rounds',
} as const;
