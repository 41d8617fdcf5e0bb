/** The German words of the manage page: admin token, closing, downloads, voter rolls. */
import type { manage as english } from '../en/manage.ts';
import type { Translation } from '../translation.ts';

export const manage: Translation<typeof english> = {
  'links.vote': 'Abstimmungslink',
  'links.results': 'Ergebnislink',
  'links.admin': 'Verwaltungslink',
  'links.qr': 'QR-Code des Abstimmungslinks',
  'links.scan': 'Zum Abstimmen scannen',
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
