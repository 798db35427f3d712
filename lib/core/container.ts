/**
 * A small self-describing binary container for typed arrays (used for library runs).
 *
 * Layout: "LVR1" | u32 header length (little endian) | header JSON (UTF-8) | zero padding to 8 bytes |
 * sections, each 8-byte aligned. The header is `{meta, sections: [{name, dtype, offset, length}]}`,
 * offsets relative to the start of the data area. Pure (no fs): the same bytes are read in Node and
 * in the browser. Little-endian hosts only (every platform Node and browsers run on here).
 */

export type DType = "f64" | "f32" | "u32" | "i32" | "u8" | "i8" | "u16";
export type TypedArray = Float64Array | Float32Array | Uint32Array | Int32Array | Uint8Array | Int8Array | Uint16Array;

const CTORS = {
  f64: Float64Array,
  f32: Float32Array,
  u32: Uint32Array,
  i32: Int32Array,
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
} as const;

const MAGIC = [0x4c, 0x56, 0x52, 0x31]; // "LVR1"

function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float64Array) return "f64";
  if (a instanceof Float32Array) return "f32";
  if (a instanceof Uint32Array) return "u32";
  if (a instanceof Int32Array) return "i32";
  if (a instanceof Uint8Array) return "u8";
  if (a instanceof Int8Array) return "i8";
  if (a instanceof Uint16Array) return "u16";
  throw new TypeError("invalid section: not a supported typed array");
}

interface SectionEntry {
  name: string;
  dtype: DType;
  offset: number;
  length: number;
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeContainer(meta: unknown, sections: Record<string, TypedArray>): Uint8Array {
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const [name, arr] of Object.entries(sections)) {
    entries.push({name, dtype: dtypeOf(arr), offset, length: arr.length});
    offset = pad8(offset + arr.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({meta, sections: entries}));
  const dataStart = pad8(8 + header.length);
  const out = new Uint8Array(dataStart + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  for (const e of entries) {
    const arr = sections[e.name];
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), dataStart + e.offset);
  }
  return out;
}

export interface Container<M> {
  meta: M;
  /** Sections as typed arrays (views into a private aligned copy when the input was unaligned). */
  sections: Record<string, TypedArray>;
}

export function decodeContainer<M = unknown>(bytes: Uint8Array | ArrayBuffer): Container<M> {
  let u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length < 8 || MAGIC.some((m, i) => u8[i] !== m)) throw new RangeError("invalid container: missing LVR1 magic");
  if (u8.byteOffset % 8 !== 0) u8 = u8.slice(); // typed views need aligned offsets
  const headerLen = new DataView(u8.buffer, u8.byteOffset, 8).getUint32(4, true);
  if (8 + headerLen > u8.length) throw new RangeError("invalid container: truncated header");
  const header = JSON.parse(new TextDecoder().decode(u8.subarray(8, 8 + headerLen))) as {meta: M; sections: SectionEntry[]};
  const dataStart = pad8(8 + headerLen);
  const sections: Record<string, TypedArray> = {};
  for (const e of header.sections) {
    const Ctor = CTORS[e.dtype];
    if (!Ctor) throw new RangeError(`invalid container: unknown dtype ${e.dtype}`);
    const start = u8.byteOffset + dataStart + e.offset;
    if (dataStart + e.offset + e.length * Ctor.BYTES_PER_ELEMENT > u8.length) throw new RangeError(`invalid container: section ${e.name} truncated`);
    sections[e.name] = new Ctor(u8.buffer as ArrayBuffer, start, e.length);
  }
  return {meta: header.meta, sections};
}
