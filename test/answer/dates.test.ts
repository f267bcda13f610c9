import { describe, expect, it } from 'vitest';
import { formatDate, parseIsoDate, resolveDates, yearFor } from '../../src/answer/dates.js';

describe('resolveDates', () => {
  it('gives a day and month the publication year', () => {
    expect(resolveDates('Jeudi 3 novembre, à quatre jours', 'fr', '2016-11-03')).toBe('Jeudi 3 novembre 2016, à quatre jours');
    expect(resolveDates('On Thursday, November 3, four days', 'en', '2016-11-03')).toBe('On Thursday, November 3, 2016, four days');
    expect(resolveDates('le 1er janvier', 'fr', '2016-11-03')).toBe('le 1er janvier 2016');
  });

  it('reads "dernier" and "last" as the latest such month before publication', () => {
    expect(resolveDates('en janvier dernier', 'fr', '2016-11-03')).toBe('en janvier 2016');
    expect(resolveDates('en décembre dernier', 'fr', '2016-11-03')).toBe('en décembre 2015');
    expect(resolveDates('decided to block VoIP last January', 'en', '2016-11-03')).toBe('decided to block VoIP in January 2016');
    expect(resolveDates('since last January', 'en', '2016-11-03')).toBe('since January 2016');
  });

  it('dates "début janvier" and "early January"', () => {
    expect(resolveDates('décidé début janvier par', 'fr', '2016-11-03')).toBe('décidé début janvier 2016 par');
    expect(resolveDates('decided in early January by', 'en', '2016-11-03')).toBe('decided in early January 2016 by');
  });

  it('leaves dates that already have a year alone', () => {
    expect(resolveDates('le 3 novembre 2016', 'fr', '2016-11-03')).toBe('le 3 novembre 2016');
    expect(resolveDates('November 3, 2016', 'en', '2016-11-03')).toBe('November 3, 2016');
  });

  it('changes nothing when the article has no date', () => {
    expect(resolveDates('Jeudi 3 novembre', 'fr', undefined)).toBe('Jeudi 3 novembre');
  });

  it('uses the weekday to choose the year', () => {
    // 3 November was a Thursday in 2016, a Tuesday in 2015.
    expect(yearFor(11, 3, { year: 2016 }, 4)).toBe(2016);
    expect(yearFor(11, 3, { year: 2016 }, 2)).toBe(2015);
  });

  it('takes last year for a month well after publication', () => {
    expect(yearFor(12, 20, { year: 2017, month: 2, day: 1 })).toBe(2016);
    expect(yearFor(3, 1, { year: 2017, month: 2, day: 1 })).toBe(2017);
  });
});

describe('formatDate', () => {
  it('writes dates the way each language does', () => {
    expect(formatDate(parseIsoDate('2016-11-03')!, 'fr')).toBe('3 novembre 2016');
    expect(formatDate(parseIsoDate('2016-11-03')!, 'en')).toBe('November 3, 2016');
    expect(formatDate(parseIsoDate('2016-11-01')!, 'fr')).toBe('1er novembre 2016');
    expect(formatDate(parseIsoDate('2016-11')!, 'en')).toBe('November 2016');
    expect(parseIsoDate('nope')).toBeUndefined();
  });
});
