/** The German words of the create page and its success view. */
import type { create as english } from '../en/create.ts';
import type { Translation } from '../translation.ts';

export const create: Translation<typeof english> = {
  'create.heading': 'Abstimmung erstellen',
  'create.lead':
    'Stellen Sie eine Frage, nennen Sie die Optionen und wählen Sie, wie abgestimmt wird.',
  'create.name': 'Frage oder Name',
  'create.namePlaceholder': 'z. B. Wo gehen wir mittagessen?',
  'create.nameInvalid':
    'Die Frage enthält einen Zeilenumbruch oder ein Steuerzeichen oder ist länger als 200 Zeichen: Schreiben Sie sie als eine Zeile sichtbaren Texts.',
  'create.options': 'Optionen',
  'create.addOption': '+ Option hinzufügen',
  'create.shuffle': 'Jeder Person die Optionen in eigener Reihenfolge zeigen',
  'create.shuffleHint':
    'Eine zufällige Reihenfolge je Person, damit keine Option davon profitiert, oben zu stehen. Die Ergebnisse behalten Ihre Reihenfolge.',
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
};
