/** The English words of the manage page's edit, schedule, deadline, duplicate and delete controls, and a scheduled round on every page. */
export const lifecycle = {
  'status.scheduled': 'Scheduled',

  'scheduled.opens': 'opens {when}',
  'scheduled.created': '“{name}” opens {when}',
  'scheduled.comeBack': 'This round opens {when}; come back then.',
  'scheduled.why':
    'It takes no votes before then. If you keep this page open, it shows the ballot by itself once the round opens.',
  'scheduled.options': 'The options',
  'scheduled.tryLater': 'Your ballot was not recorded: send it again once the round opens.',
  'scheduled.nowOpen': 'The round is open for votes now.',

  'edit.heading': 'Question and options',
  'edit.hint':
    'Until the first vote you can reword the question and the options. Options cannot be added or removed here.',
  'edit.save': 'Save the wording',
  'edit.saving': 'Saving…',
  'edit.saved': 'Saved: voters now see the new wording.',
  'edit.unchanged': 'Nothing to save: the wording is as it was.',
  'edit.nameBlank': 'Give the question or name: it cannot be left empty.',
  'edit.optionBlank': 'Option {n} is empty: each option needs its text.',
  'edit.locked': 'The question and options can no longer change.',
  'edit.lockedWhy':
    'This round has ballots: new wording would change what its voters chose. You can still move the deadline, or duplicate the round and reword the copy.',
  'edit.lockedRace': 'Someone voted while you were editing, so your changes were not saved.',
  'edit.lockedClosed': 'The round is closed: its question and options stay as they were.',
  'edit.failed': 'The wording was not saved. {why}',

  'schedule.createLabel': 'Opens at (optional)',
  'schedule.createHint':
    'Your local time. Until then the round takes no votes; you can change the start or open it earlier from the manage page.',
  'schedule.opensAt': 'Opens {when}.',
  'schedule.opened': 'Voting opened {when}.',
  'schedule.opensLabel': 'Opens at',
  'schedule.opensHint': 'Your local time. Until then the round takes no votes.',
  'schedule.save': 'Save the start',
  'schedule.openNow': 'Open it now',
  'schedule.saved': 'Saved: the round opens {when}.',
  'schedule.openedNow': 'The round is open for votes now.',
  'schedule.empty': 'Choose a date and time first.',
  'schedule.unreadable': 'That is not a date and time: choose one with the field’s picker.',
  'schedule.future': 'The opening time must be in the future.',
  'schedule.beforeDeadline':
    'The round must open before it closes: choose an earlier start or a later deadline.',
  'schedule.started': 'The round has opened meanwhile: its start can no longer change.',
  'schedule.failed': 'Not saved. {why}',

  'deadline.label': 'Closes by itself at',
  'deadline.hint':
    'Your local time. Move it earlier or later while the round is open, or remove it and close the round by hand.',
  'deadline.at': 'It closes by itself {when}.',
  'deadline.none': 'No deadline: it stays open until you close it.',
  'deadline.save': 'Save the deadline',
  'deadline.remove': 'Remove the deadline',
  'deadline.saved': 'Saved: the round closes by itself {when}.',
  'deadline.removed': 'The deadline is removed: the round stays open until you close it.',
  'deadline.afterStart': 'The deadline must come after the start ({when}).',
  'deadline.closed': 'The round has closed meanwhile: its deadline can no longer change.',

  'duplicate.heading': 'Duplicate',
  'duplicate.hint':
    'A new round with the same question, options and settings, its own links and no ballots. A start or deadline still ahead is copied too.',
  'duplicate.button': 'Duplicate the round',
  'duplicate.working': 'Duplicating…',
  'duplicate.done': 'Copy made: “{name}”',
  'duplicate.adminWhy':
    'Keep the admin link private: whoever has it can change, close or delete the copy. It is shown only now; this browser keeps it too, under “Rounds you created here” on the home page.',
  'duplicate.manage': 'Manage the copy',
  'duplicate.failed': 'No copy was made. {why}',

  'delete.heading': 'Delete',
  'delete.hint':
    'Deleting removes the round with its ballots, results and invitations, and its links stop working.',
  'delete.button': 'Delete the round',
  'delete.ask': 'Delete “{name}” for good?',
  'delete.askWhy':
    'Its ballots, results and invitations are deleted and its links lead nowhere. This cannot be undone: download what you want to keep first.',
  'delete.yes': 'Yes, delete it',
  'delete.working': 'Deleting…',
  'delete.failed': 'The round was not deleted. {why}',
  'delete.title': 'Round deleted',
  'delete.done': '“{name}” is deleted',
  'delete.doneWhy':
    'Its ballots, results and invitations are gone and its links lead nowhere now. This browser has forgotten it too.',
  'delete.home': 'Go to the home page',
} as const;
