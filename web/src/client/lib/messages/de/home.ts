/** The German words of the home page. */
import type { home as english } from '../en/home.ts';
import type { Translation } from '../translation.ts';

export const home: Translation<typeof english> = {
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
};
