import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { articleDate } from '../answer/extractive.js';
import type { Article } from '../corpus/types.js';
import type { Answer } from '../answering.js';
import { messages } from '../i18n/messages.js';
import { otherLang, type Lang } from '../language/lang.js';
import type { ReloadReport } from '../reloader.js';
import type { ShardedReload, ShardOutcome } from './shard-reload.js';
import { titleIn } from '../search/passages.js';
import type { Summary } from '../summary/extractive.js';
import { fitEmbeds, LIMITS, trimText, type EmbedData, type FittedEmbed } from './limits.js';
import { echo, noPreview } from './text.js';

const COLOR = { answer: 0x2b6cb0, notFound: 0x718096, summary: 0x2f855a, reload: 0x805ad5, error: 0xc53030 } as const;

export interface MessagePayload {
  content?: string;
  embeds: FittedEmbed[];
  components: ActionRowBuilder<ButtonBuilder>[];
}

/** The source line of an answer: title, publisher, date, paragraph, and the link without preview. */
function sourceValue(article: Article, paragraph: number, lang: Lang): string {
  const title = titleIn(article, lang) ?? article.title;
  const date = articleDate(article, lang);
  const parts = [`${lang === 'fr' ? `« ${title} »` : `“${title}”`}`, article.source, date, `§ ${paragraph + 1}`].filter(Boolean);
  return [parts.join(' — '), article.url ? noPreview(article.url) : ''].filter(Boolean).join('\n');
}

export const customIds = {
  original: (key: string) => `ask:orig:${key}`,
  language: (key: string, lang: Lang) => `ask:lang:${key}:${lang}`,
  vote: (key: string, vote: 'up' | 'down') => `ask:vote:${key}:${vote}`,
};

/** An /ask answer: the answer, its source, "as of" the article date, and the buttons. */
export function renderAnswer(answer: Answer, key: string, articles: ReadonlyMap<string, Article>): MessagePayload {
  const t = messages(answer.lang).bot;
  const citation = answer.citation;
  const article = citation ? articles.get(citation.article) : undefined;
  const embed: EmbedData = {
    title: trimText(echo(answer.question), LIMITS.embedTitle),
    description: answer.found ? answer.body ?? answer.answer : answer.answer,
    color: answer.found ? COLOR.answer : COLOR.notFound,
    fields: [],
  };
  if (answer.found && answer.mode === 'generated' && answer.sources?.length) {
    for (const s of answer.sources.slice(0, 10)) {
      const a = articles.get(s.article);
      if (a) embed.fields!.push({ name: `[${s.n}]`, value: sourceValue(a, s.paragraph, answer.lang) });
    }
    const date = article ? articleDate(article, answer.lang) : undefined;
    embed.footer = { text: [date ? t.asOf(date) : '', answer.grounded === false ? t.unverifiedNote : t.generatedNote].filter(Boolean).join(' · ') };
  } else if (answer.found && article && citation) {
    embed.fields!.push({ name: t.sourceField, value: sourceValue(article, citation.paragraph, answer.lang) });
    const date = articleDate(article, answer.lang);
    const notes = [date ? t.asOf(date) : '', answer.fallback && answer.fallback !== 'budget' ? t.extractiveNote : answer.fallback === 'budget' ? messages(answer.lang).budgetNote : ''];
    if (notes.some(Boolean)) embed.footer = { text: notes.filter(Boolean).join(' · ') };
  } else {
    embed.title = t.notFoundTitle;
    embed.fields!.push({ name: t.questionLabel, value: trimText(echo(answer.question), LIMITS.fieldValue) || '—' });
  }
  const buttons: ButtonBuilder[] = [];
  if (answer.found) buttons.push(new ButtonBuilder().setCustomId(customIds.original(key)).setLabel(t.showOriginal).setStyle(ButtonStyle.Secondary));
  const other = otherLang(answer.lang);
  buttons.push(new ButtonBuilder().setCustomId(customIds.language(key, other)).setLabel(messages(other).bot.switchTo[other]).setStyle(ButtonStyle.Secondary));
  if (answer.found) {
    buttons.push(new ButtonBuilder().setCustomId(customIds.vote(key, 'up')).setEmoji('👍').setStyle(ButtonStyle.Secondary));
    buttons.push(new ButtonBuilder().setCustomId(customIds.vote(key, 'down')).setEmoji('👎').setStyle(ButtonStyle.Secondary));
  }
  return { embeds: fitEmbeds([embed]), components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)] };
}

/** The paragraph as the article wrote it (the "original passage" button). */
export function renderOriginal(article: Article, paragraph: number, uiLang: Lang): MessagePayload {
  const t = messages(uiLang).bot;
  const text = article.paragraphs[paragraph]?.text ?? '';
  return {
    embeds: fitEmbeds([
      { title: t.originalTitle(paragraph + 1), description: text, color: COLOR.answer, fields: [{ name: t.sourceField, value: sourceValue(article, paragraph, article.lang) }], footer: { text: t.originalFooter(article.title) } },
    ]),
    components: [],
  };
}

export function renderSummary(summary: Summary, article: Article, uiLang: Lang): MessagePayload {
  const t = messages(summary.lang).bot;
  const fields = [{ name: t.sourceField, value: [article.source, summary.date, article.url ? noPreview(article.url) : ''].filter(Boolean).join(' — ') || article.id }];
  if (summary.note) fields.push({ name: '⚠', value: messages(uiLang).summaryOnlyInOriginal(article.title) });
  return {
    embeds: fitEmbeds([
      {
        title: summary.title,
        description: summary.summary,
        color: COLOR.summary,
        fields,
        footer: { text: t.summaryFooter(summary.sources.map((s) => `§ ${s.paragraph + 1}`).join(', ')) },
      },
    ]),
    components: [],
  };
}

/**
 * The /reload report: counts, changes and broken files of this shard's reload and, under a
 * ShardingManager, on how many shards it went through, naming each shard that did not reload.
 */
export function renderReload(report: ReloadReport, lang: Lang, sharded?: Pick<ShardedReload, 'shards' | 'total'>): MessagePayload {
  const t = messages(lang).bot;
  const s = report.stats;
  const lines = [report.swapped ? t.reloadDone({ articles: s.articles, passages: s.passages, translations: s.translations, ms: Math.round(s.ms) }) : t.reloadFailed];
  if (report.swapped) lines.push(t.reloadChanges(report));
  let allShards = true;
  if (sharded) {
    const problems = sharded.shards.filter((o) => o.status !== 'reloaded');
    allShards = problems.length === 0;
    lines.push(
      [
        t.reloadShards({ reloaded: sharded.shards.length - problems.length, total: sharded.total }),
        ...problems.map((o) => `• ${t.reloadShardProblem({ shard: o.shard, status: o.status as Exclude<ShardOutcome['status'], 'reloaded'>, ...(o.error ? { reason: o.error } : {}) })}`),
      ].join('\n'),
    );
  }
  const fields = s.errors.length
    ? [{ name: t.reloadBroken(s.errors.length), value: s.errors.map((e) => `• \`${e.file.replace(/`/g, "'")}\`: ${e.reason}`).join('\n') }]
    : [];
  return { embeds: fitEmbeds([{ description: lines.join('\n\n'), color: report.swapped && allShards ? COLOR.reload : COLOR.error, fields }]), components: [] };
}

/** A short message in an embed-less reply, kept within the content limit. */
export function renderNotice(text: string): MessagePayload {
  return { content: trimText(text, LIMITS.content), embeds: [], components: [] };
}

/** What a message would look like in Discord, as plain text (the local console prints this). */
export function payloadToText(payload: MessagePayload): string {
  const lines: string[] = [];
  if (payload.content) lines.push(payload.content);
  for (const e of payload.embeds) {
    if (e.title) lines.push(`## ${e.title}`);
    if (e.description) lines.push(e.description);
    for (const f of e.fields) lines.push(`**${f.name}**: ${f.value}`);
    if (e.footer) lines.push(`— ${e.footer.text}`);
  }
  const buttons = payload.components.flatMap((row) => row.components.map((b) => {
    const data = b.data as { label?: string; emoji?: { name?: string } };
    return `[${data.label ?? data.emoji?.name ?? '?'}]`;
  }));
  if (buttons.length) lines.push(buttons.join(' '));
  return lines.join('\n');
}

/** A generated answer as it streams in: the text so far, no buttons yet. */
export function renderPartial(question: string, soFar: string, lang: Lang): MessagePayload {
  return { embeds: fitEmbeds([{ title: trimText(echo(question), LIMITS.embedTitle), description: `${soFar} ▍`, color: COLOR.answer, footer: { text: messages(lang).bot.writing } }]), components: [] };
}
