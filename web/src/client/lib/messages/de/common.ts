/** The German words of the page shell, errors, the voting methods and shared controls. */
import type { common as english } from '../en/common.ts';
import type { Translation } from '../translation.ts';

export const common: Translation<typeof english> = {
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
  'copy.button': 'Kopieren',
  'copy.the': '{label} kopieren',
  'copy.done': 'Kopiert',
  'copy.byHand': 'Bitte von Hand markieren und kopieren',
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
};
