/** The German words of the results page and the tabulation cards. */
import type { results as english } from '../en/results.ts';
import type { Translation } from '../translation.ts';

export const results: Translation<typeof english> = {
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
};
