/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` dates, in UTC so that no time zone or daylight-saving change
 * moves a day. The rules count days (timely filing, appeal windows), periods (frequency limits) and
 * whole years of age.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** The ISO date of a day number. */
export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * Whole years of age on `on` for someone born on `birth`; a person born on February 29 turns a year
 * older on March 1 in common years, as most payer systems count it.
 */
export function ageInYears(birth: IsoDate, on: IsoDate): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** Today in UTC. */
export function todayIso(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

/** True when `date` is within `from`..`to` (both included; no `to` = open-ended). */
export function isWithin(date: IsoDate, range: { from: IsoDate; to?: IsoDate }): boolean {
  return range.from <= date && (range.to === undefined || date <= range.to);
}
