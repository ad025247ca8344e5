/*
 * EventBridge Scheduler's schedule expressions and time zones, checked the way the Scheduler API checks them at
 * apply (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html): a problem is returned as
 * "<what is wrong>. Fix: <what to write>", or undefined when the value is accepted.
 */

const CRON_EXAMPLE = "e.g. cron(0 3 * * ? *) for 03:00 every day";
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names standing for 1, 2, ... (months, weekdays). */
  readonly names?: readonly string[];
  /** Extra item shapes this field allows (L, W, #). */
  readonly special?: RegExp;
}

const FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  // L (last day), LW (last weekday), 15W (weekday nearest the 15th).
  { name: "day-of-month", min: 1, max: 31, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: "month", min: 1, max: 12, names: MONTHS },
  // L (Saturday), 6L (last Friday), 2#1 (first Monday).
  { name: "day-of-week", min: 1, max: 7, names: WEEKDAYS, special: /^(L|[1-7]L|[1-7]#[1-5])$/i },
  { name: "year", min: 1970, max: 2199 },
];

/** Why `expression` is not a cron(...) or rate(...) expression EventBridge Scheduler accepts, or undefined. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(cron[1]);
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return rateProblem(rate[1]);
  return `is neither cron(...) nor rate(...). Fix: write cron(minutes hours day-of-month month day-of-week year), ${CRON_EXAMPLE}, or rate(<n> minutes|hours|days)`;
}

function rateProblem(body: string): string | undefined {
  const m = /^(\d+) ([a-z]+)$/.exec(body);
  const units = ["minute", "hour", "day"];
  if (!m || !units.some((u) => m[2] === u || m[2] === `${u}s`)) {
    return "is not rate(<n> <unit>) with a unit of minute(s), hour(s) or day(s). Fix: e.g. rate(15 minutes) or rate(1 day)";
  }
  const n = Number(m[1]);
  const unit = m[2].replace(/s$/, "");
  if (n < 1 || m[1].startsWith("0"))
    return `has the value ${m[1]}. Fix: use a whole number from 1, e.g. rate(1 ${unit})`;
  // AWS refuses rate(1 minutes) and rate(5 minute): the unit agrees with the value.
  const right = n === 1 ? unit : `${unit}s`;
  if (m[2] !== right) return `says "${m[1]} ${m[2]}", which AWS refuses. Fix: rate(${n} ${right})`;
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  const fix = `Fix: write six fields, minutes hours day-of-month month day-of-week year, ${CRON_EXAMPLE}`;
  if (fields.length !== 6) return `has ${fields.length} fields, cron takes 6. ${fix}`;
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return `has ${FIELDS[i].name} "${fields[i]}": ${problem}. ${fix}`;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    return `has day-of-month "${dayOfMonth}" and day-of-week "${dayOfWeek}"; exactly one of them must be ?. Fix: e.g. cron(0 3 * * ? *) (every day) or cron(0 3 ? * MON *) (Mondays)`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: CronField): string | undefined {
  if (field === "?") {
    return spec.name === "day-of-month" || spec.name === "day-of-week"
      ? undefined
      : "? is only for day-of-month or day-of-week";
  }
  for (const item of field.split(",")) {
    if (spec.special?.test(item)) continue;
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) return `"${item}" is not a value, range or step`;
    if (m[2] !== undefined && Number(m[2]) < 1) return `the step of "${item}" is 0`;
    if (m[1] === "*") continue;
    const bounds = m[1].split("-");
    if (bounds.length > 2) return `"${item}" is not a range a-b`;
    const values = bounds.map((b) => value(b, spec));
    if (values.some((v) => v === undefined)) {
      const allowed = `${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ""}`;
      return `"${item}" is outside ${allowed}`;
    }
  }
  return undefined;
}

function value(text: string, spec: CronField): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= spec.min && n <= spec.max ? n : undefined;
}

/**
 * Why `zone` is not an IANA time zone EventBridge Scheduler accepts, or undefined: UTC or an Area/Location name
 * (Asia/Tokyo, and aliases such as Asia/Kolkata or Etc/UTC), spelt as the time zone database spells it.
 */
export function timezoneProblem(zone: string): string | undefined {
  const resolved = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$/.test(zone) || zone === "UTC" ? resolvedZone(zone) : undefined;
  // The runtime reads names case-insensitively; AWS takes them as the database spells them.
  if (resolved !== undefined && (resolved === zone || resolved.toLowerCase() !== zone.toLowerCase())) return undefined;
  const near = resolved ?? Intl.supportedValuesOf("timeZone").find((z) => z.toLowerCase() === zone.toLowerCase());
  return `is not an IANA time zone. Fix: ${near ? `write ${near}` : "use UTC or an Area/Location name such as Asia/Tokyo"}`;
}

/** The runtime's name for an IANA time zone (aliases such as Etc/UTC or Asia/Kolkata included), or undefined. */
function resolvedZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
