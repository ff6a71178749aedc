/** Day and instant arithmetic of the demo book, all in UTC and relative to the book's `now`. */
import { MS_PER_DAY } from "../domain/calendar.js";

export const startOfDay = (ms: number): number => Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
/** Whole minutes: real systems rarely store sub-second precision for these fields. */
export const isoTime = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The same calendar day `years` later (earlier when negative); 29 February becomes the 28th. */
export function shiftYears(dayMs: number, years: number): number {
  const d = new Date(dayMs);
  const day = d.getUTCMonth() === 1 && d.getUTCDate() === 29 ? 28 : d.getUTCDate();
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), day);
}

/** A day that is never 29 February, so a yearly anniversary always exists. */
export function avoidLeapDay(dayMs: number): number {
  const d = new Date(dayMs);
  return d.getUTCMonth() === 1 && d.getUTCDate() === 29 ? dayMs - MS_PER_DAY : dayMs;
}
