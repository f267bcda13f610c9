import type { Lang } from './lang.js';
import { fold } from './normalize.js';

/** Function words carry no topic; question words are kept aside for answer typing. */
const FR_STOP = `a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayez ayons c ce ceci cela celà ces cet cette ceux celle celles celui d dans de des du elle elles en es est et eu eue eues eurent eus eut eux ici il ils j je l la le les leur leurs lui m ma mais me mes moi mon même n ne ni nos notre nous on ont ou où par pas pour qu que quel quelle quelles quels qui quoi s sa sans se sera serai seraient serais serait seras serez seriez serions serons seront ses soi soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y à étaient étais était étant étiez étions été étée étées étés êtes être avoir fait faire ça lequel laquelle lesquels lesquelles dont donc car si plus moins très aussi alors comme tout tous toute toutes autre autres peut peuvent pouvait doit cet-ce est-ce-que entre avant après pendant durant vers chez sous contre dès parmi selon via`;

const EN_STOP = `a about above after again against all am an and any are aren as at be because been before being below between both but by can cannot could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is isn it its itself let me more most my myself no nor not of off on once or other ought our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why with would you your yours yourself yourselves will shall may might must s t d ll re ve m don doesn didn wasn weren isn hasn haven hadn won wouldn shouldn couldn also just into its it's last`;

/** Words that start a question and tell what kind of answer is wanted. */
const FR_QUESTION = 'pourquoi quand combien comment où ou quel quelle quels quelles qui que quoi lequel laquelle lesquels lesquelles depuis est-ce'.split(' ');
const EN_QUESTION = 'why when how much many where which who whom whose what'.split(' ');

/**
 * Frequent content words: if a question uses one and the corpus does not, that says little
 * about whether the corpus answers it ("people", "again", "gens", "encore").
 */
const FR_COMMON = `gens personne personnes chose choses encore nouveau nouveau nouvelle nouvelles nouvellement maintenant aujourd'hui fois jour jours an ans année années temps dire dit dite faire fait utiliser utilisé utilise pouvoir peut peuvent possible vouloir veut savoir sait aller va voir vu donner donné prendre pris mettre mis venir devenir rester passer trouver arriver arrivé cas façon manière vraiment déjà toujours jamais beaucoup peu bien mal bon mauvais grand petit premier dernier dernière vrai exactement environ selon article texte question quoi ceci celle-ci celui-ci là-bas pendant depuis après avant finalement enfin alors ensuite quelqu'un quelque quelques chaque certains certaines lieu raison tenir tenu tenue dérouler déroulé déroulée situé située avoir lieu passé signifier signifie sigle acronyme abréviation durer dure duré nom appelé appelle longtemps fonctionner fonctionne marcher marche ancien ancienne précédent précédente ex
  bonjour salut coucou hey bot merci stp svp s'il plaît plait please bref juste pile exactement vraiment genre truc trucs machin
  expliquer explique expliquez expliquez-moi dites dis dis-moi savoir sais sait voudrais voulais aimerais entendu entendre lu lire
  vrai faux réellement effectivement actuellement quoi moment époque période instant heure fois réagir réagi réagit réaction
  vont va vais allons allez aller allait allaient ira iront irait avancé avancer avancée invoqué invoquée invoquer évoqué évoquée évoquer mentionné mentionnée cité citée parler parlé parle confier confié confie raconter raconté juger jugé jugée jugés considérer considéré considérée estimer estimé estimée censé censée prévu prévue surnommé surnommer surnomme appelé appeler dénommé qualifié qualifie moyen façon manière écoulé écouler passer passé passée arriver arrivé arrivée produit produire concrètement finalement
  gens monde personne personnes quelqu'un tout-le-monde`;
const EN_COMMON = `people person persons thing things again new newly now today time times day days year years say said tell told make made use used using can able get got go going see seen give given take taken put come become stay pass find found happen happened way really already always never much many lot little well good bad big small first last true exactly about around according article text question anyone someone something each every some certain place reason finally eventually then also back still held hold take took taken happen happened occur occurred located situated stand stands mean means meaning acronym abbreviation last lasted name named called long work works worked working function former previous ex
  hey hi hello yo bot thanks thank please pls plz ok okay so well just exactly actually really basically literally kind sort
  explain tell know knew heard hear read think thought wonder wondering guess mean want wanted like
  true false right correct wrong real really what's thing stuff moment point react reacted reaction way means
  cited mentioned quoted separated separate separating estimated estimate approximately reportedly supposedly allegedly expected supposed planned scheduled considered deemed regarded judged talked spoke spoken told said called named nicknamed nickname dubbed known elapse elapsed passed pass go went gone going get got getting happen happening guys everyone anybody somebody`;

/** Lists are looked up folded: "ete" is "été" typed without accents. */
const folded = (list: string | string[]) => new Set((typeof list === 'string' ? list.split(/\s+/) : list).filter(Boolean).map(fold));

const sets = {
  fr: { stop: folded(FR_STOP), question: folded(FR_QUESTION), common: folded(FR_COMMON) },
  en: { stop: folded(EN_STOP), question: folded(EN_QUESTION), common: folded(EN_COMMON) },
} as const;

export function isStopword(word: string, lang: Lang): boolean {
  const w = fold(word);
  return sets[lang].stop.has(w) || sets[lang].question.has(w);
}

export function isQuestionWord(word: string, lang: Lang): boolean {
  return sets[lang].question.has(fold(word));
}

export function isCommonWord(word: string, lang: Lang): boolean {
  return sets[lang].common.has(fold(word));
}

export function stopwordList(lang: Lang): ReadonlySet<string> {
  return sets[lang].stop;
}
