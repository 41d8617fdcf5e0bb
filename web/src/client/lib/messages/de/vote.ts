/** The German words of the ballot page. */
import type { vote as english } from '../en/vote.ts';
import type { Translation } from '../translation.ts';

export const vote: Translation<typeof english> = {
  'ballot.pickOne': 'Wählen Sie eine Option',
  'ballot.pickOneFirst': 'Wählen Sie zuerst eine Option.',
  'ballot.exactly': {
    one: 'Wählen Sie genau {count} Option',
    other: 'Wählen Sie genau {count} Optionen',
  },
  'ballot.atLeast': {
    one: 'Wählen Sie mindestens {count} Option',
    other: 'Wählen Sie mindestens {count} Optionen',
  },
  'ballot.between': 'Wählen Sie {min} bis {max} Optionen',
  'ballot.chosen': { one: '{count} gewählt.', other: '{count} gewählt.' },
  'ballot.chosenMost': {
    one: '{count} gewählt (mehr sind nicht möglich).',
    other: '{count} gewählt (mehr sind nicht möglich).',
  },
  'ballot.tooFew': 'Wählen Sie mindestens {min} (Sie haben {count} gewählt).',
  'ballot.tooMany': 'Wählen Sie höchstens {max} (Sie haben {count} gewählt).',
  'ballot.rank': 'Ordnen Sie die Optionen',
  'ballot.rankHelp':
    'Nehmen Sie die Optionen, die Ihnen wichtig sind, in Ihre Rangfolge auf, Ihren Favoriten zuerst, und hören Sie auf, wann Sie wollen: Was Sie weglassen, zählt nicht. Umsortieren durch Ziehen am Griff ⠿ oder mit den Schaltflächen ↑ und ↓ (auch mit den Pfeiltasten).',
  'ballot.rankFirst':
    'Nehmen Sie zuerst mindestens eine Option in Ihre Rangfolge auf, mit ihrer Schaltfläche „Einordnen“.',

  'ranking.ranked': 'Ihre Rangfolge',
  'ranking.unranked': 'Nicht eingeordnet',
  'ranking.empty':
    'Noch nichts eingeordnet: Nehmen Sie Optionen aus der Liste unten auf, Ihren Favoriten zuerst.',
  'ranking.allRanked': 'Alle Optionen sind eingeordnet.',
  'ranking.addButton': 'Einordnen',
  'ranking.add': 'Einordnen: {label}',
  'ranking.drag': 'Ziehen',
  'ranking.moveUp': '{label} nach oben',
  'ranking.moveDown': '{label} nach unten',
  'ranking.remove': '{label} aus der Rangfolge nehmen',
  'ranking.now': 'Ihre Rangfolge: {label} ist jetzt Nummer {place} von {count}.',
  'ranking.alreadyFirst': '{label} steht schon ganz oben.',
  'ranking.alreadyLast': '{label} steht schon ganz unten.',
  'ranking.removed': '{label} ist nicht mehr eingeordnet.',

  'vote.invitedOnly': 'nur eingeladene Stimmberechtigte',
  'vote.closes': 'schließt {when}',
  'vote.oneBrowser': 'Ein Browser = ein Stimmzettel.',
  'vote.oneBrowserWhy':
    'Dieser Browser hat eine eigene, zufällige Kennung und kann daher in dieser Abstimmung einmal abstimmen.',
  'vote.revoteReplaces':
    'Eine erneute Stimmabgabe ersetzt Ihren früheren Stimmzettel, bis die Abstimmung schließt.',
  'vote.final': 'Ihre Stimme kann nach der Abgabe nicht mehr geändert werden.',
  'vote.cast': 'Stimme abgeben',
  'vote.change': 'Meine Stimme ändern',
  'vote.sending': 'Wird gesendet …',
  'vote.thanks': 'Danke, Ihre Stimme ist angekommen.',
  'vote.changed': 'Ihre Stimme wurde geändert.',
  'vote.replaced': 'Ihr neuer Stimmzettel ersetzt den früheren.',
  'vote.youChose': 'Ihre Wahl:',
  'vote.receipt': 'Ihre Quittung:',
  'vote.receiptHint':
    'Bewahren Sie sie auf, um Ihren Stimmzettel unter den veröffentlichten Stimmzetteln der Abstimmung zu finden; sie verrät nicht, wer Sie sind.',
  'vote.canChange': 'Sie können Ihre Stimme noch ändern, bis die Abstimmung schließt.',
  'vote.alreadyVoted': 'Sie haben in dieser Abstimmung schon abgestimmt',
  'vote.votedAt': 'Von diesem Browser aus, {when}.',
  'vote.revoteBelow': 'Sie können Ihre Stimme unten ändern, bis die Abstimmung schließt.',
  'vote.cannotChange':
    'In dieser Abstimmung können Stimmen nicht geändert werden; dieser Stimmzettel zählt.',
  'vote.seeResults': 'Zu den Ergebnissen',
  'vote.invitedEarlier': 'von diesem Browser aus ({when}; Quittung {receipt}).',
  'vote.invitedEarlierTitle': 'In dieser Abstimmung wurde ein Stimmzettel abgegeben,',
  'vote.invitedEarlierOther':
    'Jede Einladung ist gut für einen Stimmzettel: Mit der Einladung einer anderen Person kann hier noch abgestimmt werden.',
  'vote.invitedVotedTitle': 'Sie haben in dieser Abstimmung schon abgestimmt,',
  'vote.invitedRevote':
    'Um Ihre Stimme zu ändern, öffnen Sie den Link aus Ihrer Einladung noch einmal.',
  'vote.duplicate': 'Dieser Browser hat in dieser Abstimmung schon abgestimmt.',
  'vote.duplicateStands': 'Ihr früherer Stimmzettel gilt.',
  'vote.duplicateFirst':
    'Jeder Browser hat einen Stimmzettel, und in dieser Abstimmung kann er nicht geändert werden: Ihre erste Stimme zählt.',
  'vote.notOpenYet': 'Diese Abstimmung nimmt noch keine Stimmen an.',
  'vote.invalidBallot': 'Ihr Stimmzettel wurde nicht angenommen: {message}.',
  'vote.notRecorded': 'Ihre Stimme wurde nicht gezählt. {why}',
  'vote.closed': 'Diese Abstimmung ist geschlossen.',
  'vote.closedAt': 'Sie nimmt keine Stimmen mehr an (geschlossen {when}).',
  'vote.noMoreVotes': 'Sie nimmt keine Stimmen mehr an.',
};
