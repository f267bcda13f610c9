import type { Article } from '../corpus/types.js';
import type { Lang } from '../language/lang.js';

/** The paragraph's text in `lang` when the article has it in that language. */
export function textIn(article: Article, paragraph: number, lang: Lang): string | undefined {
  if (article.lang === lang) return article.paragraphs[paragraph]?.text;
  return article.translations[lang]?.paragraphs[paragraph];
}

export function titleIn(article: Article, lang: Lang): string | undefined {
  if (article.lang === lang) return article.title;
  return article.translations[lang]?.title;
}
