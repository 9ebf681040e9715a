/**
 * The subset of TensorFlow Lite's schema (tensorflow/lite/schema/schema.fbs, Apache-2.0) that the
 * converter reads, as thin accessors over the `flatbuffers` runtime: the library does all byte
 * parsing; this file only names the fields. A table's field n lives at vtable offset 4 + 2n, so
 * each accessor below cites the field's position in the schema.
 */
import * as flatbuffers from 'flatbuffers';

export type TfliteDtype = 'float32' | 'float16' | 'int32' | 'uint8' | 'int64' | 'bool' | 'int8';

export interface TfliteTensor {
  readonly shape: readonly number[];
  readonly dtype: TfliteDtype;
  /** Index into TfliteModel.buffers; buffer 0 is always the empty buffer. */
  readonly buffer: number;
  readonly name: string;
}

export interface TfliteOperator {
  readonly op: string;
  /** Tensor indices; -1 marks an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options: OperatorOptions;
}

export interface TfliteSubgraph {
  readonly tensors: readonly TfliteTensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly TfliteOperator[];
}

export interface TfliteModel {
  readonly version: number;
  readonly subgraphs: readonly TfliteSubgraph[];
  /** Views into the source bytes (not copies). */
  readonly buffers: readonly Uint8Array[];
}

export type Padding = 'SAME' | 'VALID';
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/** Options of the builtin operators FaceCheck's models use, decoded from the BuiltinOptions union. */
export interface OperatorOptions {
  padding?: Padding;
  strideW?: number;
  strideH?: number;
  dilationW?: number;
  dilationH?: number;
  filterW?: number;
  filterH?: number;
  depthMultiplier?: number;
  activation?: Activation;
  keepNumDims?: boolean;
  beta?: number;
  axis?: number;
  newShape?: number[];
  keepDims?: boolean;
  beginMask?: number;
  endMask?: number;
  ellipsisMask?: number;
  newAxisMask?: number;
  shrinkAxisMask?: number;
  outType?: TfliteDtype;
  alpha?: number;
  /** Set when the converter met an options table it does not decode. */
  unreadOptionsType?: number;
}

const TENSOR_TYPES: Record<number, TfliteDtype> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  6: 'bool',
  9: 'int8',
};

/** BuiltinOperator enum values; only the ops FaceCheck's models can contain need names. */
const BUILTIN_OPERATORS: Record<number, string> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  21: 'RELU6',
  22: 'RESHAPE',
  25: 'SOFTMAX',
  28: 'TANH',
  40: 'MEAN',
  41: 'SUB',
  42: 'DIV',
  45: 'STRIDED_SLICE',
  47: 'EXP',
  53: 'CAST',
  54: 'PRELU',
  58: 'LESS',
  59: 'NEG',
  61: 'GREATER',
  62: 'GREATER_EQUAL',
  74: 'SUM',
  82: 'REDUCE_MAX',
  98: 'LEAKY_RELU',
  101: 'ABS',
};

const PADDINGS: readonly Padding[] = ['SAME', 'VALID'];
const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

/** Typed field access to one flatbuffer table. */
class Table {
  constructor(
    private readonly bb: flatbuffers.ByteBuffer,
    private readonly pos: number,
  ) {}

  private offset(field: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * field);
  }

  int8(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  uint8(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }

  int32(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  uint32(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }

  float32(field: number, fallback = 0): number {
    const o = this.offset(field);
    return o ? this.bb.readFloat32(this.pos + o) : fallback;
  }

  string(field: number): string {
    const o = this.offset(field);
    return o ? String(this.bb.__string(this.pos + o)) : '';
  }

  table(field: number): Table | null {
    const o = this.offset(field);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }

  tables(field: number): Table[] {
    const o = this.offset(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from(
      { length: this.bb.__vector_len(this.pos + o) },
      (_, i) => new Table(this.bb, this.bb.__indirect(start + 4 * i)),
    );
  }

  int32s(field: number): number[] {
    const o = this.offset(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from({ length: this.bb.__vector_len(this.pos + o) }, (_, i) =>
      this.bb.readInt32(start + 4 * i),
    );
  }

  bytes(field: number): Uint8Array {
    const o = this.offset(field);
    if (!o) return new Uint8Array(0);
    const start = this.bb.__vector(this.pos + o);
    return this.bb.bytes().subarray(start, start + this.bb.__vector_len(this.pos + o));
  }
}

/** Reads a .tflite flatbuffer into plain objects. */
export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  const bb = new flatbuffers.ByteBuffer(bytes);
  if (bytes.length < 8 || !bb.__has_identifier('TFL3')) {
    throw new Error('not a TensorFlow Lite flatbuffer (file identifier TFL3 missing)');
  }
  // table Model { version, operator_codes, subgraphs, description, buffers, ... }
  const model = new Table(bb, bb.readInt32(bb.position()) + bb.position());
  // table OperatorCode { deprecated_builtin_code: byte, custom_code, version, builtin_code: int }
  const opcodes = model.tables(1).map((t) => Math.max(t.int8(0), t.int32(3)));
  // table Buffer { data: [ubyte], offset, size }
  const buffers = model.tables(4).map((t) => t.bytes(0));
  // table SubGraph { tensors, inputs, outputs, operators, name }
  const subgraphs = model.tables(2).map((g): TfliteSubgraph => {
    // table Tensor { shape, type, buffer, name, quantization, ... }
    const tensors = g.tables(0).map(
      (t): TfliteTensor => ({
        shape: t.int32s(0),
        dtype: TENSOR_TYPES[t.int8(1)] ?? unsupported(`tensor type ${t.int8(1)}`),
        buffer: t.uint32(2),
        name: t.string(3),
      }),
    );
    // table Operator { opcode_index, inputs, outputs, builtin_options_type, builtin_options, ... }
    const operators = g.tables(3).map((o): TfliteOperator => {
      const code = opcodes[o.uint32(0)] ?? -1;
      return {
        op: BUILTIN_OPERATORS[code] ?? `BUILTIN_${code}`,
        inputs: o.int32s(1),
        outputs: o.int32s(2),
        options: readOptions(o.uint8(3), o.table(4)),
      };
    });
    return { tensors, inputs: g.int32s(1), outputs: g.int32s(2), operators };
  });
  return { version: model.uint32(0), subgraphs, buffers };
}

function unsupported(what: string): never {
  throw new Error(`unsupported ${what} in .tflite file`);
}

/** Decodes an options table by its BuiltinOptions union index (schema order, NONE = 0). */
function readOptions(type: number, t: Table | null): OperatorOptions {
  if (t === null) return {};
  const activation = (field: number) => ACTIVATIONS[t.int8(field)] ?? 'NONE';
  const padding = (field: number) => PADDINGS[t.int8(field)] ?? 'SAME';
  switch (type) {
    case 1: // Conv2DOptions { padding, stride_w, stride_h, fused_activation_function, dilation_w, dilation_h }
      return {
        padding: padding(0),
        strideW: t.int32(1),
        strideH: t.int32(2),
        activation: activation(3),
        dilationW: t.int32(4, 1),
        dilationH: t.int32(5, 1),
      };
    case 2: // DepthwiseConv2DOptions { padding, stride_w, stride_h, depth_multiplier, activation, dilations }
      return {
        padding: padding(0),
        strideW: t.int32(1),
        strideH: t.int32(2),
        depthMultiplier: t.int32(3),
        activation: activation(4),
        dilationW: t.int32(5, 1),
        dilationH: t.int32(6, 1),
      };
    case 5: // Pool2DOptions { padding, stride_w, stride_h, filter_width, filter_height, activation }
      return {
        padding: padding(0),
        strideW: t.int32(1),
        strideH: t.int32(2),
        filterW: t.int32(3),
        filterH: t.int32(4),
        activation: activation(5),
      };
    case 8: // FullyConnectedOptions { activation, weights_format, keep_num_dims, ... }
      return { activation: activation(0), keepNumDims: t.uint8(2) === 1 };
    case 9: // SoftmaxOptions { beta }
      return { beta: t.float32(0) };
    case 10: // ConcatenationOptions { axis, activation }
      return { axis: t.int32(0), activation: activation(1) };
    case 11: // AddOptions
    case 21: // MulOptions
    case 28: // SubOptions
    case 29: // DivOptions
      return { activation: activation(0) };
    case 17: // ReshapeOptions { new_shape }
      return { newShape: t.int32s(0) };
    case 27: // ReducerOptions { keep_dims }
      return { keepDims: t.uint8(0) === 1 };
    case 32: // StridedSliceOptions { begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask }
      return {
        beginMask: t.int32(0),
        endMask: t.int32(1),
        ellipsisMask: t.int32(2),
        newAxisMask: t.int32(3),
        shrinkAxisMask: t.int32(4),
      };
    case 37: // CastOptions { in_data_type, out_data_type }
      return { outType: TENSOR_TYPES[t.int8(1)] ?? unsupported(`cast to type ${t.int8(1)}`) };
    case 75: // LeakyReluOptions { alpha }
      return { alpha: t.float32(0) };
    default:
      return { unreadOptionsType: type };
  }
}
