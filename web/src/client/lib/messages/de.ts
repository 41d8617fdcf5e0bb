/**
 * Every word of the pages in German (Sie-Form, as public tools address people they do not know).
 * Held to exactly the English keys, and to a plural where English has one, by its type.
 */
import type { en, MessageKey } from './en.ts';

type Catalog = {
  [K in MessageKey]: (typeof en)[K] extends string ? string : { one: string; other: string };
};

export const de: Catalog = {
  'shell.skip': 'Zum Inhalt springen',
  'shell.create': 'Abstimmung erstellen',
  'shell.site': 'Website',
  'shell.language': 'Sprache',
  'page.failed': 'Etwas ist schiefgegangen',
  'page.title': '{name} · Abstimmungen',
  'common.cancel': 'Abbrechen',

  'error.network':
    'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.',
  'error.originRefused':
    'Der Server unter {api} nimmt keine Anfragen von Seiten an, die unter {page} geöffnet wurden: Er ist für eine andere Adresse eingerichtet. Öffnen Sie den Link, den Sie von der Organisatorin oder dem Organisator bekommen haben, oder bitten Sie den Betreiber des Servers, {page} zuzulassen.',
  'error.roundNotFound':
    'Diese Abstimmung gibt es nicht. Prüfen Sie den Link, den Sie bekommen haben.',
  'error.invalidRequest':
    'Dieser Link führt zu keiner Abstimmung. Prüfen Sie den Link, den Sie bekommen haben.',
  'error.unavailable':
    'Der Dienst hat gerade Schwierigkeiten. Bitte versuchen Sie es gleich noch einmal.',
  'error.rateLimited':
    'Gerade kommen zu viele Anfragen aus diesem Netz. Bitte warten Sie eine Minute und versuchen Sie es dann noch einmal.',
  'error.server': 'Der Server hat abgelehnt: {message}',

  'method.plurality.name': 'Eine Option wählen',
  'method.plurality.summary': 'Jede Person wählt eine Option. Die meisten Stimmen gewinnen.',
  'method.plurality.figure': 'Stimmen',
  'method.plurality.note': '',
  'method.plurality.units': { one: '{count} Stimme', other: '{count} Stimmen' },
  'method.approval.name': 'Zustimmungswahl (beliebig viele)',
  'method.approval.summary':
    'Jede Person kreuzt alle Optionen an, die ihr gefallen. Die meisten Zustimmungen gewinnen.',
  'method.approval.figure': 'Zustimmungen',
  'method.approval.note':
    'Anteil aller Stimmzettel, die der Option zustimmen (ein Stimmzettel kann mehreren zustimmen, daher ergeben die Anteile zusammen mehr als 100 %).',
  'method.approval.units': { one: '{count} Zustimmung', other: '{count} Zustimmungen' },
  'method.ranked.name': 'Rangfolge (Instant Runoff)',
  'method.ranked.summary':
    'Jede Person ordnet die Optionen, die ihr wichtig sind. Runde für Runde scheidet die letzte Option aus und ihre Stimmzettel gehen an die nächste Wahl, bis eine Option mehr als die Hälfte hat.',
  'method.ranked.figure': 'Erstpräferenzen',
  'method.ranked.note': 'Anteil aller Stimmzettel, die die Option an erste Stelle setzen.',
  'method.ranked.units': { one: '{count} Stimme', other: '{count} Stimmen' },
  'method.condorcet.name': 'Rangfolge, paarweiser Vergleich (Condorcet)',
  'method.condorcet.summary':
    'Jede Person ordnet die Optionen, die ihr wichtig sind. Jedes Paar von Optionen wird verglichen; es gewinnt die Option, die sich im direkten Vergleich durchsetzt (Schulze-Methode).',
  'method.condorcet.figure': 'Erstpräferenzen',
  'method.condorcet.note': 'Anteil aller Stimmzettel, die die Option an erste Stelle setzen.',
  'method.condorcet.units': { one: '{count} Stimme', other: '{count} Stimmen' },

  'status.open': 'Offen',
  'status.closed': 'Geschlossen',
  'status.final': 'Endergebnis',

  'home.title': 'Abstimmungen',
  'home.heading': 'Abstimmungen',
  'home.lead':
    'Erstellen Sie eine Abstimmung, teilen Sie den Link oder QR-Code und sehen Sie die Ergebnisse live eintreffen.',
  'home.open': 'Offene Abstimmungen',
  'home.openHint': 'Abstimmungen, die ihre Organisatoren hier aufführen lassen.',
  'home.none': 'Gerade sind keine offenen Abstimmungen aufgeführt.',
  'home.more': 'Mehr anzeigen',
  'home.created': 'Hier erstellte Abstimmungen',
  'home.voted': 'Abstimmungen, an denen Sie teilgenommen haben',
  'home.invitedVoters': 'eingeladene Stimmberechtigte',
  'home.notListed': 'nicht aufgeführt',
  'home.manage': 'Verwalten',
  'home.manageOf': '{name} verwalten',
  'home.results': 'Ergebnisse',
  'home.resultsOf': 'Ergebnisse von {name}',
  'home.vote': 'Abstimmen',
  'home.voteIn': 'In {name} abstimmen',
  'home.unnamed': 'Abstimmung {id}',
  'home.votedAt': 'abgestimmt {when}',

  'create.heading': 'Abstimmung erstellen',
  'create.lead':
    'Stellen Sie eine Frage, nennen Sie die Optionen und wählen Sie, wie abgestimmt wird.',
  'create.name': 'Frage oder Name',
  'create.namePlaceholder': 'z. B. Wo gehen wir mittagessen?',
  'create.nameInvalid':
    'Die Frage enthält einen Zeilenumbruch oder ein Steuerzeichen oder ist länger als 200 Zeichen: Schreiben Sie sie als eine Zeile sichtbaren Texts.',
  'create.options': 'Optionen',
  'create.addOption': '+ Option hinzufügen',
  'create.method': 'Wie wird abgestimmt?',
  'create.atLeast': 'Mindestens',
  'create.atMost': 'Höchstens',
  'create.limitsHint':
    'Wie viele Optionen angekreuzt werden müssen und dürfen. Leer = beliebig viele.',
  'create.resultsWho': 'Wer sieht die Ergebnisse, und wann?',
  'create.resultsLive': 'Alle, live während der Abstimmung',
  'create.resultsAfter': 'Alle, aber erst nach dem Schließen',
  'create.more': 'Weitere Einstellungen',
  'create.revote': 'Abgegebene Stimmen dürfen bis zum Schließen geändert werden',
  'create.publicBallots': 'Alle dürfen die Stimmzettel schon während der Abstimmung herunterladen',
  'create.closesAt': 'Von selbst schließen am (optional)',
  'create.closesAtHint': 'Ihre Ortszeit. Sie können auch jederzeit von Hand schließen.',
  'create.submit': 'Abstimmung erstellen',
  'create.creating': 'Wird erstellt …',
  'create.check': 'Bitte prüfen Sie das Formular:',
  'create.twoOptions': 'Geben Sie mindestens zwei Optionen an.',
  'create.optionForbidden':
    'Option {n} enthält einen Zeilenumbruch oder ein Steuerzeichen: Eine Option ist eine Zeile sichtbaren Texts.',
  'create.optionTooLong': 'Option {n} ist zu lang: höchstens {max} Zeichen.',
  'create.optionDuplicate':
    'Option {n} ist dieselbe wie Option {first} (Groß- und Kleinschreibung, Leerzeichen und unsichtbare Zeichen zählen nicht).',
  'create.limits':
    '„Mindestens“ und „Höchstens“ müssen zwischen 1 und {count} (der Zahl der Optionen) liegen, und „Mindestens“ darf nicht größer sein als „Höchstens“.',
  'create.closesFuture': 'Der Zeitpunkt des Schließens muss in der Zukunft liegen.',

  'options.label': 'Option {n}',
  'options.up': 'Option {n} nach oben',
  'options.down': 'Option {n} nach unten',
  'options.remove': 'Option {n} entfernen',
  'options.atMost': 'Eine Abstimmung hat höchstens {count} Optionen.',
  'options.added': 'Option {n} hinzugefügt.',
  'options.alreadyFirst': 'Option {n} steht schon ganz oben.',
  'options.alreadyLast': 'Option {n} steht schon ganz unten.',
  'options.moved': 'An Position {n} verschoben.',
  'options.needTwo': 'Eine Abstimmung braucht mindestens zwei Optionen.',
  'options.removed': {
    one: 'Option entfernt; {count} bleibt.',
    other: 'Option entfernt; {count} bleiben.',
  },

  'audience.who': 'Wer darf abstimmen?',
  'audience.anyone': 'Alle mit dem Link',
  'audience.anyoneHint': 'Teilen Sie einen Link oder QR-Code; jeder Browser kann einmal abstimmen.',
  'audience.invited': 'Nur Personen, die ich einlade',
  'audience.invitedHint':
    'Ein Wählerverzeichnis: Sie erstellen einen persönlichen Link pro Person, jeder gut für einen Stimmzettel, und sehen, wer abgestimmt hat.',
  'audience.find': 'Wer kann sie finden?',
  'audience.listed': 'Diese Abstimmung auf der Startseite aufführen',
  'audience.listedHint': 'Sonst finden sie nur Personen, denen Sie den Link geben.',

  'created.heading': '„{name}“ ist zur Abstimmung offen',
  'created.share': 'Mit den Abstimmenden teilen',
  'created.openBallot': 'Stimmzettel öffnen',
  'created.watch': 'Ergebnisse verfolgen',
  'created.openResults': 'Ergebnisse öffnen',
  'created.admin': 'Ihr Verwaltungslink: Halten Sie ihn geheim',
  'created.adminWhy':
    'Wer diesen Link hat, kann die Abstimmung schließen und ihre Stimmzettel herunterladen. Er wird nur jetzt angezeigt; dieser Browser merkt ihn sich auch, unter „Hier erstellte Abstimmungen“ auf der Startseite.',
  'created.manage': 'Abstimmung verwalten',
  'created.invite': 'Als Nächstes: Stimmberechtigte einladen',
  'created.inviteWhy':
    'Nur Personen mit Einladung können abstimmen. Erstellen Sie die Einladungen auf der Verwaltungsseite: ein persönlicher Link pro Person, jeder gut für einen Stimmzettel. Schicken Sie dann jeder Person ihren eigenen Link.',
  'created.issue': 'Einladungen erstellen',

  'links.vote': 'Abstimmungslink',
  'links.results': 'Ergebnislink',
  'links.admin': 'Verwaltungslink',
  'links.qr': 'QR-Code des Abstimmungslinks',
  'links.scan': 'Zum Abstimmen scannen',
  'copy.button': 'Kopieren',
  'copy.the': '{label} kopieren',
  'copy.done': 'Kopiert',
  'copy.byHand': 'Bitte von Hand markieren und kopieren',

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

  'invite.required':
    'Diese Abstimmung ist nur für Eingeladene: Öffnen Sie den Link aus Ihrer Einladung.',
  'invite.requiredWhy':
    'Jede eingeladene Person hat einen persönlichen Link bekommen (per E-Mail oder Nachricht). Diese Seite wurde ohne ihn geöffnet und kann daher keine Stimme annehmen. Keine Einladung? Fragen Sie die Person, die die Abstimmung organisiert.',
  'invite.invalid': 'Dieser Einladungslink funktioniert nicht.',
  'invite.invalidWhy':
    'Vielleicht wurde er beim Kopieren abgeschnitten (öffnen Sie den ganzen Link aus Ihrer Einladung), oder die Organisatorin oder der Organisator hat ihn zurückgezogen. Wenn er weiter nicht funktioniert, bitten Sie um einen neuen.',
  'invite.used': 'Mit dieser Einladung wurde schon abgestimmt.',
  'invite.usedStands':
    'Jede Einladung ist gut für einen Stimmzettel; der damit abgegebene Stimmzettel gilt.',
  'invite.usedFirst':
    'Jede Einladung ist gut für einen Stimmzettel, und in dieser Abstimmung kann er nicht geändert werden: Die erste damit abgegebene Stimme zählt.',
  'invite.youAre': 'Sie sind eingeladen.',
  'invite.oneBallot':
    'Ihre Einladung ist gut für einen Stimmzettel in dieser Abstimmung. Die Organisation sieht, ob sie benutzt wurde, nicht aber, wie Sie abgestimmt haben.',
  'invite.revote':
    'Eine erneute Stimmabgabe über Ihren Link ersetzt Ihren Stimmzettel, bis die Abstimmung schließt.',

  'results.heading': 'Ergebnisse',
  'results.title': '{name}: Ergebnisse',
  'results.connecting': 'Verbindung wird aufgebaut …',
  'results.waiting': 'Warten auf die Zahlen …',
  'results.voteLink': 'In dieser Abstimmung abstimmen',
  'results.nowFinal': 'Das Ergebnis ist endgültig.',
  'results.nowClosed': 'Die Abstimmung wurde geschlossen.',
  'results.live': 'Live: aktualisiert sich mit jeder Stimme',
  'results.liveHidden': 'Live: Die Ergebnisse erscheinen hier, sobald die Abstimmung schließt',
  'results.final': 'Endgültig: Diese Zahlen ändern sich nicht mehr.',
  'results.hidden': 'Die Ergebnisse sind verborgen, bis die Abstimmung schließt.',
  'results.hiddenWhy': 'Diese Seite zeigt sie, sobald es so weit ist; neu laden ist nicht nötig.',
  'results.hiddenCloses': 'Sie schließt {when}.',
  'results.reconnecting': 'Verbindung wird wiederhergestellt …',
  'results.streamGone':
    'Die Live-Verbindung ist nicht verfügbar; laden Sie die Seite neu, um es noch einmal zu versuchen.',

  'result.ballots': { one: '{count} Stimmzettel', other: '{count} Stimmzettel' },
  'result.asOf': 'Stand {time}',
  'result.closedAt': 'geschlossen {when}',
  'result.noBallots': 'Noch keine Stimmzettel.',
  'result.leading': 'Vorn: {names}',
  'result.tied': 'Gleichstand: {names}',
  'result.winner': 'Gewonnen: {names}',
  'result.tiedWinners': 'Gleichauf gewonnen: {names}',
  'result.countSoon': 'Die vollständige Auszählung erscheint in ein, zwei Sekunden.',
  'result.countLags':
    'Die Auszählung unten umfasst {counted} von {total} Stimmzetteln (Stand {time}); sie holt in ein, zwei Sekunden auf.',

  'irv.heading': 'Runde für Runde',
  'irv.region': 'Runden',
  'irv.option': 'Option',
  'irv.round': 'Runde',
  'irv.exhausted': 'Erschöpft',
  'irv.exhaustedExplained':
    'Erschöpft: Stimmzettel, deren eingeordnete Optionen alle ausgeschieden sind. Man darf nur einige Optionen einordnen; ist keine davon mehr im Rennen, zählt der Stimmzettel nicht mehr für eine Mehrheit.',
  'irv.explained':
    'In jeder Runde zählt ein Stimmzettel für seine am höchsten eingeordnete Option, die noch im Rennen ist.',
  'irv.after': 'Nach Runde {number}:',
  'irv.outOne': '{names} scheidet aus',
  'irv.outMany': '{names} scheiden aus',
  'irv.tie': 'Gleichstand',
  'irv.tiePrevious': 'Gleichstand, entschieden durch die vorige Runde',
  'irv.tieEarlier': 'Gleichstand, entschieden durch eine frühere Runde',
  'irv.tieSeeded': 'Gleichstand, entschieden durch die feste Zufallsreihenfolge der Abstimmung',
  'irv.movedLead': 'Übertragen:',
  'irv.moved': { one: '{count} Stimmzettel an {to}', other: '{count} Stimmzettel an {to}' },
  'irv.movedExhausted': {
    one: '{count} Stimmzettel an niemanden (erschöpft)',
    other: '{count} Stimmzettel an niemanden (erschöpft)',
  },
  'irv.nothingMoved': 'Keine Stimmzettel zu übertragen.',
  'irv.majority': '{name} hat in Runde {round} mehr als die Hälfte der noch zählenden Stimmzettel.',
  'irv.cellOut': 'ausgeschieden',
  'irv.cellEliminated': 'raus',
  'irv.cellWins': 'gewinnt',

  'matrix.heading': 'Paarweiser Vergleich',
  'matrix.region': 'Matrix der paarweisen Vergleiche',
  'matrix.self': 'dieselbe Option',
  'matrix.win': 'gewinnt gegen {theirs}',
  'matrix.loss': 'verliert gegen {theirs}',
  'matrix.tie': 'gleichauf mit {theirs}',
  'matrix.explained':
    'Jede Zelle: wie viele Personen die Option der Zeile der Option der Spalte vorziehen (die Spalten sind wie die Zeilen nummeriert). Grün: Die Zeile gewinnt dieses Paar.',
  'matrix.condorcetWinner': '{name} schlägt jede andere Option im direkten Vergleich.',
  'matrix.schulzeOne':
    'Keine Option schlägt alle anderen im direkten Vergleich; die Schulze-Methode ordnet nach den stärksten Ketten von Siegen, und {names} liegt vorn.',
  'matrix.schulzeMany':
    'Keine Option schlägt alle anderen im direkten Vergleich; die Schulze-Methode ordnet nach den stärksten Ketten von Siegen, und {names} liegen vorn.',
  'matrix.tied': '(gleichauf)',

  'token.heading': 'Abstimmung verwalten',
  'token.needed': 'Diese Seite braucht den Verwaltungslink oder das Token der Abstimmung.',
  'token.label': 'Verwaltungslink oder Token',
  'token.hint':
    'Der Verwaltungslink, den Sie beim Erstellen der Abstimmung bekommen haben, oder sein Teil nach #token=.',
  'token.continue': 'Weiter',
  'token.checking': 'Wird geprüft …',
  'token.empty': 'Fügen Sie zuerst den Verwaltungslink oder das Token ein.',
  'token.wrong':
    'Das ist nicht der Verwaltungslink dieser Abstimmung: Der Server hat ihn nicht angenommen. Prüfen Sie, ob Sie den ganzen Link kopiert haben, den Sie beim Erstellen bekommen haben (oder seinen Teil nach #token=).',

  'manage.title': '{name} verwalten',
  'manage.admin': 'Verwaltung',
  'manage.created': 'erstellt {when}',
  'manage.closesBy': 'schließt von selbst {when}',
  'manage.listed': 'auf der Startseite aufgeführt',
  'manage.unlisted': 'nicht aufgeführt',
  'manage.revote': 'Stimmen änderbar',
  'manage.afterClose': 'Ergebnisse nach dem Schließen',
  'manage.live': 'Ergebnisse live',
  'manage.voting': 'Abstimmung',
  'manage.links': 'Links',
  'manage.invitedLink':
    'Zeigt den Stimmzettel, aber abstimmen kann nur ein Einladungslink: Schicken Sie den Personen ihren.',
  'manage.adminPrivate': 'Halten Sie diesen geheim: Er kann die Abstimmung schließen.',
  'manage.now': 'Ergebnisse jetzt',
  'manage.onlyYou': 'Nur Sie sehen diese, bis die Abstimmung schließt.',
  'manage.refresh': 'Aktualisieren',
  'manage.refreshed': 'Ergebnisse aktualisiert.',
  'manage.closedNow': 'Die Abstimmung ist geschlossen.',
  'manage.openResults': 'Live-Ergebnisseite öffnen',

  'close.explain':
    'Schließen beendet die Abstimmung sofort; das Endergebnis folgt innerhalb einer Sekunde.',
  'close.now': 'Abstimmung jetzt schließen',
  'close.ask': 'Abstimmung jetzt schließen?',
  'close.askWhy':
    'Es werden keine Stimmen mehr angenommen. Das lässt sich nicht rückgängig machen.',
  'close.yes': 'Ja, jetzt schließen',
  'close.failed': 'Die Abstimmung wurde nicht geschlossen. {why}',
  'close.closed': 'Diese Abstimmung ist geschlossen.',
  'close.closedAt': 'Sie wurde {when} geschlossen.',
  'close.final': 'Ihr Ergebnis ist endgültig.',
  'close.finalSoon': 'Das Endergebnis erscheint, sobald die letzten Stimmzettel gezählt sind.',

  'downloads.heading': 'Downloads',
  'downloads.hint':
    'Mit den Stimmzetteln (jeder mit seiner Quittung, nie mit der Person, die ihn abgegeben hat) kann jede und jeder das Ergebnis nachzählen.',
  'downloads.csv': 'Stimmzettel (CSV)',
  'downloads.ndjson': 'Stimmzettel (NDJSON)',
  'downloads.json': 'Ergebnisse (JSON)',
  'downloads.preparing': '{label} wird vorbereitet …',
  'downloads.done': '{label} heruntergeladen.',
  'downloads.missing': '{label}: Dieser Server bietet diesen Download noch nicht an.',
  'downloads.failed': '{label} konnte nicht heruntergeladen werden. {why}',

  'invitations.heading': 'Einladungen',
  'invitations.hint':
    'Nur Personen mit Einladung können in dieser Abstimmung abstimmen. Jede Einladung ist ein persönlicher Link, gut für einen Stimmzettel.',
  'invitations.who': 'Wer eingeladen wurde',
  'invitations.refresh': 'Liste aktualisieren',
  'invitations.more': 'Weitere Einladungen anzeigen',
  'invitations.unreadable': 'Die Einladungen konnten nicht gelesen werden. {why}',
  'invitations.noName': 'Ohne Namen',
  'invitations.issued': 'erstellt {when}',
  'invitations.revokedAt': 'Zurückgezogen {when}',
  'invitations.votedAt': 'Abgestimmt {when}',
  'invitations.voted': 'Abgestimmt',
  'invitations.notYet': 'Noch nicht abgestimmt',
  'invitations.waitingOnly': 'Nur zeigen, wer noch nicht abgestimmt hat',
  'invitations.empty': 'Noch keine Einladungen.',
  'turnout.of': '{voted} von {eligible}',
  'turnout.voted': {
    one: 'eingeladenen Personen hat abgestimmt',
    other: 'eingeladenen Personen haben abgestimmt',
  },
  'turnout.none': 'Noch keine Einladungen: Erstellen Sie sie unten.',
  'turnout.all': 'Alle Eingeladenen haben abgestimmt.',
  'turnout.waiting': {
    one: '{count} Einladung noch nicht benutzt. Zurückgezogene Einladungen zählen nicht.',
    other: '{count} Einladungen noch nicht benutzt. Zurückgezogene Einladungen zählen nicht.',
  },
  'revoke.button': 'Zurückziehen',
  'revoke.label': 'Einladung von {name} zurückziehen',
  'revoke.ask': 'Einladung von {name} zurückziehen?',
  'revoke.askWhy':
    'Ihr Link funktioniert dann sofort nicht mehr. Das lässt sich nicht rückgängig machen.',
  'revoke.yes': 'Ja, zurückziehen',
  'revoke.used': '{name} hat schon abgestimmt.',
  'revoke.usedWhy':
    'Eine benutzte Einladung kann nicht zurückgezogen werden, und der damit abgegebene Stimmzettel bleibt gezählt.',
  'revoke.gone': 'Diese Abstimmung hat diese Einladung nicht mehr: Aktualisieren Sie die Liste.',
  'revoke.failed': 'Die Einladung wurde nicht zurückgezogen. {why}',

  'issue.submit': 'Einladungen erstellen',
  'issue.issuing': 'Wird erstellt …',
  'issue.byCount': 'Eine Anzahl Links',
  'issue.byCountHint': 'Ohne Namen: Sie behalten selbst im Blick, wer welchen bekommt.',
  'issue.byName': 'Ein Link pro Name',
  'issue.byNameHint':
    'Fügen Sie eine Liste von Namen ein. Sie sind Ihre Notizen, für die Liste unten und die CSV-Datei: Die Eingeladenen sehen sie nie.',
  'issue.howMany': 'Wie viele',
  'issue.names': 'Namen, einer pro Zeile',
  'issue.nameCount': { one: '{count} Name', other: '{count} Namen' },
  'issue.countRange': 'Geben Sie eine ganze Zahl von Einladungen zwischen 1 und {max} an.',
  'issue.nameForbidden':
    'Name {n} enthält ein Steuerzeichen: Jeder Name ist eine Zeile sichtbaren Texts.',
  'issue.nameTooLong': 'Name {n} ist zu lang: höchstens {max} Zeichen.',
  'issue.namesNone': 'Fügen Sie mindestens einen Namen ein, einen pro Zeile.',
  'issue.namesTooMany': 'Höchstens {max} Namen auf einmal (Sie haben {count} angegeben).',
  'issue.failed': 'Es wurden keine Einladungen erstellt. {why}',
  'issue.notInvited':
    'Diese Abstimmung ist für alle mit dem Link offen: Sie braucht keine Einladungen.',
  'issue.closed':
    'Die Abstimmung ist geschlossen: Es können keine Einladungen mehr erstellt werden.',
  'issue.csv': 'CSV herunterladen (Name, Link)',
  'issue.csvDone': 'Die CSV-Datei ist heruntergeladen.',
  'issue.copyAll': 'Alle Links kopieren',
  'issue.copiedAll': 'Alle Links sind kopiert.',
  'issue.copyFailed': 'Kopieren fehlgeschlagen: Laden Sie die CSV-Datei herunter.',
  'issue.copyFor': 'Link für {label} kopieren',
  'issue.batch': {
    one: '{count} Einladung erstellt: Sichern Sie die Links jetzt',
    other: '{count} Einladungen erstellt: Sichern Sie die Links jetzt',
  },
  'issue.once': 'Diese Links werden nur dieses eine Mal angezeigt.',
  'issue.onceWhy':
    'Sie können nicht noch einmal angezeigt werden, auch Ihnen nicht: Laden Sie sie jetzt herunter und schicken Sie dann jeder Person ihren eigenen Link. Ein verlorener Link kann zurückgezogen und durch einen neuen ersetzt werden.',
  'issue.unnamed': 'Einladung {n}',
  'issue.more': {
    one: '… und {count} weiterer Link, alle in der CSV-Datei.',
    other: '… und {count} weitere Links, alle in der CSV-Datei.',
  },
};
