/** The English words of the create page and its success view. */
export const create = {
  'create.heading': 'Create a round',
  'create.lead': 'Ask a question, list the options, choose how people vote.',
  'create.name': 'Question or name',
  'create.namePlaceholder': 'e.g. Where shall we have lunch?',
  'create.nameInvalid':
    'The question holds a line break or a control character, or is longer than 200 characters: write it as one line of visible text.',
  'create.options': 'Options',
  'create.addOption': '+ Add an option',
  'create.shuffle': 'Show the options to each voter in an order of their own',
  'create.shuffleHint':
    'A random order per voter, so that no option gains from being listed first. The results keep your order.',
  'create.method': 'How do people vote?',
  'create.atLeast': 'At least',
  'create.atMost': 'At most',
  'create.limitsHint': 'How many options a voter must and may tick. Empty = any number.',
  'create.resultsWho': 'Who sees the results, and when?',
  'create.resultsLive': 'Everyone, live while people vote',
  'create.resultsAfter': 'Everyone, but only after the round closes',
  'create.more': 'More settings',
  'create.revote': 'Voters may change their vote until the round closes',
  'create.publicBallots': 'Anyone may download the ballots while it is open',
  'create.closesAt': 'Close by itself at (optional)',
  'create.closesAtHint': 'Your local time. You can also close it by hand at any time.',
  'create.submit': 'Create the round',
  'create.creating': 'Creating…',
  'create.check': 'Please check the form:',
  'create.twoOptions': 'Give at least two options.',
  'create.optionForbidden':
    'Option {n} holds a line break or a control character: an option is one line of visible text.',
  'create.optionTooLong': 'Option {n} is too long: at most {max} characters.',
  'create.optionDuplicate':
    'Option {n} is the same as option {first} (capitals, spaces and invisible characters do not count).',
  'create.limits':
    '“At least” and “at most” must be between 1 and {count} (the number of options), and “at least” no more than “at most”.',
  'create.closesFuture': 'The closing time must be in the future.',

  'options.label': 'Option {n}',
  'options.up': 'Move option {n} up',
  'options.down': 'Move option {n} down',
  'options.remove': 'Remove option {n}',
  'options.atMost': 'A round has at most {count} options.',
  'options.added': 'Option {n} added.',
  'options.alreadyFirst': 'Option {n} is already first.',
  'options.alreadyLast': 'Option {n} is already last.',
  'options.moved': 'Moved to position {n}.',
  'options.needTwo': 'A round needs at least two options.',
  'options.removed': {
    one: 'Option removed; {count} left.',
    other: 'Option removed; {count} left.',
  },

  'audience.who': 'Who may vote?',
  'audience.anyone': 'Anyone with the link',
  'audience.anyoneHint': 'Share one link or QR code; each browser can vote once.',
  'audience.invited': 'Only people I invite',
  'audience.invitedHint':
    'A voter roll: you issue one personal link per voter, each good for one ballot, and see who has voted.',
  'audience.find': 'Who can find it?',
  'audience.listed': 'List this round on the home page',
  'audience.listedHint': 'Otherwise only people you give the link to can find it.',

  'created.heading': '“{name}” is open for votes',
  'created.share': 'Share it with the voters',
  'created.openBallot': 'Open the ballot',
  'created.watch': 'Watch the results',
  'created.openResults': 'Open the results',
  'created.admin': 'Your admin link: keep it private',
  'created.adminWhy':
    'Whoever has this link can close the round and download its ballots. It is shown only now; this browser keeps it too, under “Rounds you created here” on the home page.',
  'created.manage': 'Manage the round',
  'created.invite': 'Next: invite the voters',
  'created.inviteWhy':
    'Only people with an invitation can vote. Issue the invitations on the manage page: one personal link per voter, each good for one ballot. Then send each voter their own link.',
  'created.issue': 'Issue invitations',
} as const;
