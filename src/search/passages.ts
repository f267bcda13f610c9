import type { Article } from '../corpus/types.js';
import type { Lang } from '../language/lang.js';

/** One paragraph as seen in one language: the original's own text or its translation. */
export interface PassageView {
  ref: string;
  article: Article;
  paragraph: number;
  lang: Lang;
  text: string;
  title: string;
  isTranslation: boolean;
}

export const refOf = (articleId: string, paragraph: number) => `${articleId}#${paragraph}`;

export function parseRef(ref: string): { article: string; paragraph: number } {
  const at = ref.lastIndexOf('#');
  return { article: ref.slice(0, at), paragraph: Number(ref.slice(at + 1)) };
}

/** Every paragraph readable in `lang`: originals written in it and translations into it. */
export function* passagesIn(articles: Iterable<Article>, lang: Lang): Generator<PassageView> {
  for (const article of articles) {
    const translation = article.lang === lang ? undefined : article.translations[lang];
    if (article.lang !== lang && !translation) continue;
    for (const p of article.paragraphs) {
      yield {
        ref: refOf(article.id, p.index),
        article,
        paragraph: p.index,
        lang,
        text: translation ? translation.paragraphs[p.index]! : p.text,
        title: translation ? translation.title : article.title,
        isTranslation: Boolean(translation),
      };
    }
  }
}

/** The paragraph's text in `lang` when the article has it in that language. */
export function textIn(article: Article, paragraph: number, lang: Lang): string | undefined {
  if (article.lang === lang) return article.paragraphs[paragraph]?.text;
  return article.translations[lang]?.paragraphs[paragraph];
}

export function titleIn(article: Article, lang: Lang): string | undefined {
  if (article.lang === lang) return article.title;
  return article.translations[lang]?.title;
}
