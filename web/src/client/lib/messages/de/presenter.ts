/** The German words of the presenter view and the join code. */
import type { presenter as english } from '../en/presenter.ts';
import type { Translation } from '../translation.ts';

export const presenter: Translation<typeof english> = {
  'present.title': '{name}: Präsentation',
  'present.heading': 'Präsentationsansicht',
  'present.fullscreen': 'Vollbild',
  'present.join': 'Mitmachen und abstimmen',
  'present.scanOrGo': 'Scannen Sie den QR-Code oder gehen Sie auf',
  'present.code': 'Teilnahmecode',
  'present.scanOrOpen': 'Scannen Sie den QR-Code oder öffnen Sie',
  'present.invited':
    'In dieser Abstimmung können nur eingeladene Personen abstimmen, jede mit dem Link aus ihrer Einladung.',
  'present.opens': 'Die Abstimmung beginnt {when}.',
  'present.closed': 'Die Abstimmung ist beendet.',
  'present.results': 'Live-Ergebnisse',
  'present.resultsPage': 'Ergebnisseite',
  'present.votePage': 'Abstimmungsseite',
  'present.open': 'Auf einem Bildschirm zeigen',
  'present.openHint':
    'Vollbild für einen Beamer: der QR-Code, ein kurzer Teilnahmecode und die Live-Ergebnisse.',

  'join.label': 'Mit einem Code teilnehmen',
  'join.hint': 'Der 6-stellige Code auf dem Bildschirm der Organisation, etwa K7M QP2.',
  'join.button': 'Teilnehmen',
  'join.looking': 'Die Abstimmung wird gesucht …',
  'join.malformed':
    'Das ist kein Teilnahmecode: Ein Code hat 6 Buchstaben und Ziffern, etwa K7M QP2. Vergleichen Sie ihn mit dem gezeigten Bildschirm.',
  'join.unknown':
    'Keine Abstimmung hat den Code {code}. Vergleichen Sie ihn mit dem gezeigten Bildschirm: Ein Code gilt nur bis einen Tag nach dem Ende seiner Abstimmung.',
  'join.title': 'Keine Abstimmung hat diesen Code',
  'join.heading': 'Keine Abstimmung hat diesen Code',
  'join.lead':
    'Die geöffnete Adresse endet mit einem Code, der zu keiner Abstimmung führt. Vergleichen Sie den Code mit dem gezeigten Bildschirm und geben Sie ihn erneut ein: Ein Code gilt nur bis einen Tag nach dem Ende seiner Abstimmung.',
  'join.home': 'Alle offenen Abstimmungen',
};
