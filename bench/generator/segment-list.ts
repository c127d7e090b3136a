/**
 * Segments being written for one transaction set (or an envelope), with the count SE01 needs.
 * Delimiters are the fixtures' fixed ones: `*` element, `:` component, `^` repetition, `~` segment.
 */

export const ELEMENT = '*';
export const COMPONENT = ':';
export const REPETITION = '^';
export const TERMINATOR = '~';

export class SegmentList {
  private text = '';
  private segments = 0;

  constructor(private readonly segmentEnd: string) {}

  /** Append one segment from its id and elements; trailing empty elements are dropped (X12.6). */
  add(id: string, ...elements: readonly string[]): void {
    let last = elements.length;
    while (last > 0 && elements[last - 1] === '') last--;
    let segment = id;
    for (let i = 0; i < last; i++) segment += ELEMENT + elements[i]!;
    this.text += segment + this.segmentEnd;
    this.segments++;
  }

  /** Append the segments of another list. */
  append(other: SegmentList): void {
    this.text += other.text;
    this.segments += other.segments;
  }

  get count(): number {
    return this.segments;
  }

  /** Characters written so far (bytes: fixtures are ASCII). */
  get length(): number {
    return this.text.length;
  }

  toString(): string {
    return this.text;
  }
}

/** A composite from its components, without trailing empty components. */
export function composite(...components: readonly string[]): string {
  let last = components.length;
  while (last > 0 && components[last - 1] === '') last--;
  return components.slice(0, last).join(COMPONENT);
}
