/** The German words of the manage page's edit, schedule, deadline, duplicate and delete controls, and a scheduled round on every page. */
import type { lifecycle as english } from '../en/lifecycle.ts';
import type { Translation } from '../translation.ts';

export const lifecycle: Translation<typeof english> = {
  'status.scheduled': 'Geplant',

  'scheduled.opens': 'beginnt {when}',
  'scheduled.created': '„{name}“ beginnt am {when}',
  'scheduled.comeBack': 'Diese Abstimmung beginnt am {when}; kommen Sie dann wieder.',
  'scheduled.why':
    'Vorher nimmt sie keine Stimmen an. Wenn Sie diese Seite geöffnet lassen, zeigt sie den Stimmzettel von selbst, sobald die Abstimmung beginnt.',
  'scheduled.options': 'Die Optionen',
  'scheduled.tryLater':
    'Ihr Stimmzettel wurde nicht gespeichert: Senden Sie ihn erneut, sobald die Abstimmung beginnt.',
  'scheduled.nowOpen': 'Die Abstimmung nimmt jetzt Stimmen an.',

  'edit.heading': 'Frage und Optionen',
  'edit.hint':
    'Bis zur ersten Stimme können Sie die Frage und die Optionen umformulieren. Optionen hinzufügen oder entfernen können Sie hier nicht.',
  'edit.save': 'Wortlaut speichern',
  'edit.saving': 'Wird gespeichert …',
  'edit.saved': 'Gespeichert: Wer abstimmt, sieht jetzt den neuen Wortlaut.',
  'edit.unchanged': 'Nichts zu speichern: Der Wortlaut ist unverändert.',
  'edit.nameBlank': 'Geben Sie die Frage oder den Namen an: Das Feld darf nicht leer bleiben.',
  'edit.optionBlank': 'Option {n} ist leer: Jede Option braucht ihren Text.',
  'edit.locked': 'Frage und Optionen können nicht mehr geändert werden.',
  'edit.lockedWhy':
    'Diese Abstimmung hat schon Stimmzettel: Ein neuer Wortlaut würde ändern, was ihre Wählerinnen und Wähler gewählt haben. Die Frist können Sie noch verschieben, oder Sie duplizieren die Abstimmung und formulieren die Kopie um.',
  'edit.lockedRace':
    'Während Sie bearbeitet haben, wurde abgestimmt; Ihre Änderungen wurden daher nicht gespeichert.',
  'edit.lockedClosed': 'Die Abstimmung ist geschlossen: Frage und Optionen bleiben, wie sie waren.',
  'edit.failed': 'Der Wortlaut wurde nicht gespeichert. {why}',

  'schedule.createLabel': 'Beginnt am (optional)',
  'schedule.createHint':
    'Ihre Ortszeit. Bis dahin nimmt die Abstimmung keine Stimmen an; auf der Verwaltungsseite können Sie den Beginn ändern oder sie früher öffnen.',
  'schedule.opensAt': 'Beginn: {when}.',
  'schedule.opened': 'Beginn der Abstimmung: {when}.',
  'schedule.opensLabel': 'Beginnt am',
  'schedule.opensHint': 'Ihre Ortszeit. Bis dahin nimmt die Abstimmung keine Stimmen an.',
  'schedule.save': 'Beginn speichern',
  'schedule.openNow': 'Jetzt öffnen',
  'schedule.saved': 'Gespeichert. Beginn: {when}.',
  'schedule.openedNow': 'Die Abstimmung nimmt jetzt Stimmen an.',
  'schedule.empty': 'Wählen Sie zuerst Datum und Uhrzeit.',
  'schedule.unreadable':
    'Das ist kein Datum mit Uhrzeit: Wählen Sie eines mit der Auswahl des Feldes.',
  'schedule.future': 'Der Beginn muss in der Zukunft liegen.',
  'schedule.beforeDeadline':
    'Die Abstimmung muss beginnen, bevor sie schließt: Wählen Sie einen früheren Beginn oder eine spätere Frist.',
  'schedule.started':
    'Die Abstimmung hat inzwischen begonnen: Ihr Beginn kann nicht mehr geändert werden.',
  'schedule.failed': 'Nicht gespeichert. {why}',

  'deadline.label': 'Schließt von selbst am',
  'deadline.hint':
    'Ihre Ortszeit. Solange die Abstimmung offen ist, können Sie die Frist vor- oder zurückverlegen oder sie entfernen und die Abstimmung von Hand schließen.',
  'deadline.at': 'Schließt von selbst: {when}.',
  'deadline.none': 'Keine Frist: Sie bleibt offen, bis Sie sie schließen.',
  'deadline.save': 'Frist speichern',
  'deadline.remove': 'Frist entfernen',
  'deadline.saved': 'Gespeichert. Schließt von selbst: {when}.',
  'deadline.removed': 'Die Frist ist entfernt: Die Abstimmung bleibt offen, bis Sie sie schließen.',
  'deadline.afterStart': 'Die Frist muss nach dem Beginn ({when}) liegen.',
  'deadline.closed':
    'Die Abstimmung ist inzwischen geschlossen: Ihre Frist kann nicht mehr geändert werden.',

  'duplicate.heading': 'Duplizieren',
  'duplicate.hint':
    'Eine neue Abstimmung mit derselben Frage, denselben Optionen und Einstellungen, eigenen Links und ohne Stimmzettel. Ein Beginn oder eine Frist, die noch bevorstehen, werden mitkopiert.',
  'duplicate.button': 'Abstimmung duplizieren',
  'duplicate.working': 'Wird dupliziert …',
  'duplicate.done': 'Kopie erstellt: „{name}“',
  'duplicate.adminWhy':
    'Halten Sie den Verwaltungslink geheim: Wer ihn hat, kann die Kopie ändern, schließen oder löschen. Er wird nur jetzt angezeigt; dieser Browser merkt ihn sich auch, unter „Hier erstellte Abstimmungen“ auf der Startseite.',
  'duplicate.manage': 'Kopie verwalten',
  'duplicate.failed': 'Es wurde keine Kopie erstellt. {why}',

  'delete.heading': 'Löschen',
  'delete.hint':
    'Beim Löschen verschwindet die Abstimmung mit ihren Stimmzetteln, Ergebnissen und Einladungen, und ihre Links funktionieren nicht mehr.',
  'delete.button': 'Abstimmung löschen',
  'delete.ask': '„{name}“ endgültig löschen?',
  'delete.askWhy':
    'Ihre Stimmzettel, Ergebnisse und Einladungen werden gelöscht, und ihre Links führen ins Leere. Das lässt sich nicht rückgängig machen: Laden Sie vorher herunter, was Sie behalten möchten.',
  'delete.yes': 'Ja, löschen',
  'delete.working': 'Wird gelöscht …',
  'delete.failed': 'Die Abstimmung wurde nicht gelöscht. {why}',
  'delete.title': 'Abstimmung gelöscht',
  'delete.done': '„{name}“ ist gelöscht',
  'delete.doneWhy':
    'Ihre Stimmzettel, Ergebnisse und Einladungen sind fort, und ihre Links führen jetzt ins Leere. Auch dieser Browser hat sie vergessen.',
  'delete.home': 'Zur Startseite',
} as const;
