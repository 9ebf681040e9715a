// @ts-check
/**
 * The subset of TensorFlow Lite's schema.fbs (tensorflow/lite/schema/schema.fbs, Apache-2.0)
 * that the converter reads, as thin accessors over the `flatbuffers` runtime. Each table keeps
 * the field order of the schema: field n lives at vtable offset 4 + 2n.
 */
import * as flatbuffers from 'flatbuffers';

/** @param {number} fieldIndex */
const slot = (fieldIndex) => 4 + 2 * fieldIndex;

/** Base for a table view: holds the buffer and the table position. */
function table(/** @type {flatbuffers.ByteBuffer} */ bb, /** @type {number} */ pos) {
  /** @param {number} field */
  const off = (field) => bb.__offset(pos, slot(field));
  return {
    /** @param {number} field @param {number} def */
    int32: (field, def = 0) => (off(field) ? bb.readInt32(pos + off(field)) : def),
    /** @param {number} field @param {number} def */
    uint32: (field, def = 0) => (off(field) ? bb.readUint32(pos + off(field)) : def),
    /** @param {number} field @param {number} def */
    int8: (field, def = 0) => (off(field) ? bb.readInt8(pos + off(field)) : def),
    /** @param {number} field @param {number} def */
    uint8: (field, def = 0) => (off(field) ? bb.readUint8(pos + off(field)) : def),
    /** @param {number} field @param {number} def */
    float32: (field, def = 0) => (off(field) ? bb.readFloat32(pos + off(field)) : def),
    /** @param {number} field @returns {string | null} */
    string: (field) => (off(field) ? /** @type {string} */ (bb.__string(pos + off(field))) : null),
    /** @param {number} field @returns {number | null} position of the sub-table */
    table: (field) => (off(field) ? bb.__indirect(pos + off(field)) : null),
    /** @param {number} field @returns {number[]} positions of the sub-tables */
    tables: (field) => {
      const o = off(field);
      if (!o) return [];
      const start = bb.__vector(pos + o);
      const n = bb.__vector_len(pos + o);
      return Array.from({ length: n }, (_, i) => bb.__indirect(start + 4 * i));
    },
    /** @param {number} field @returns {Int32Array} */
    int32s: (field) => {
      const o = off(field);
      if (!o) return new Int32Array(0);
      const start = bb.__vector(pos + o);
      const n = bb.__vector_len(pos + o);
      return Int32Array.from({ length: n }, (_, i) => bb.readInt32(start + 4 * i));
    },
    /** @param {number} field @returns {Uint8Array} a view (not a copy) of a [ubyte] vector */
    bytes: (field) => {
      const o = off(field);
      if (!o) return new Uint8Array(0);
      const start = bb.__vector(pos + o);
      const n = bb.__vector_len(pos + o);
      return bb.bytes().subarray(start, start + n);
    },
  };
}

/** TensorType enum. */
export const TensorType = /** @type {const} */ ({ 0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 6: 'bool', 9: 'int8' });

/** BuiltinOperator enum: only the ops FaceCheck's models use need names here. */
export const BuiltinOperator = /** @type {Record<number, string>} */ ({
  0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 6: 'DEQUANTIZE',
  9: 'FULLY_CONNECTED', 11: 'L2_NORMALIZATION', 14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 21: 'RELU6',
  22: 'RESHAPE', 23: 'RESIZE_BILINEAR', 25: 'SOFTMAX', 28: 'TANH', 34: 'PAD', 36: 'GATHER', 39: 'TRANSPOSE',
  40: 'MEAN', 41: 'SUB', 42: 'DIV', 43: 'SQUEEZE', 45: 'STRIDED_SLICE', 47: 'EXP', 53: 'CAST', 54: 'PRELU',
  55: 'MAXIMUM', 56: 'ARG_MAX', 57: 'MINIMUM', 58: 'LESS', 59: 'NEG', 61: 'GREATER', 62: 'GREATER_EQUAL',
  63: 'LESS_EQUAL', 64: 'SELECT', 65: 'SLICE', 70: 'EXPAND_DIMS', 74: 'SUM', 75: 'SQRT', 76: 'RSQRT', 77: 'SHAPE',
  78: 'POW', 82: 'REDUCE_MAX', 83: 'PACK', 86: 'LOGICAL_AND', 87: 'LOGICAL_NOT', 88: 'UNPACK', 92: 'SQUARE',
  97: 'RESIZE_NEAREST_NEIGHBOR', 98: 'LEAKY_RELU', 99: 'SQUARED_DIFFERENCE', 101: 'ABS', 102: 'SPLIT_V',
  123: 'SELECT_V2',
});

/** Padding and ActivationFunctionType enums. */
export const Padding = /** @type {const} */ (['SAME', 'VALID']);
export const Activation = /** @type {const} */ (['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT']);

/**
 * Reads a .tflite flatbuffer into plain objects. Buffers are views into `bytes`.
 * @param {Uint8Array} bytes
 */
export function readTfliteModel(bytes) {
  const bb = new flatbuffers.ByteBuffer(bytes);
  if (!bb.__has_identifier('TFL3')) throw new Error('not a TensorFlow Lite flatbuffer (identifier TFL3 missing)');
  const model = table(bb, bb.readInt32(bb.position()) + bb.position());
  // Model: version, operator_codes, subgraphs, description, buffers
  const opcodes = model.tables(1).map((p) => {
    const t = table(bb, p);
    // OperatorCode: deprecated_builtin_code:byte, custom_code, version, builtin_code:int
    return Math.max(t.int8(0), t.int32(3));
  });
  const buffers = model.tables(4).map((p) => table(bb, p).bytes(0));
  const subgraphs = model.tables(2).map((p) => {
    const g = table(bb, p);
    const tensors = g.tables(0).map((tp) => {
      const t = table(bb, tp);
      const typeCode = t.int8(1);
      return {
        shape: Array.from(t.int32s(0)),
        dtype: /** @type {Record<number,string>} */ (TensorType)[typeCode] ?? `type${typeCode}`,
        buffer: t.uint32(2),
        name: t.string(3) ?? '',
      };
    });
    const operators = g.tables(3).map((op) => {
      const o = table(bb, op);
      const code = opcodes[o.uint32(0)];
      return {
        op: BuiltinOperator[code] ?? `BUILTIN_${code}`,
        inputs: Array.from(o.int32s(1)),
        outputs: Array.from(o.int32s(2)),
        optionsType: o.uint8(3),
        options: readOptions(bb, o.uint8(3), o.table(4)),
      };
    });
    return { tensors, inputs: Array.from(g.int32s(1)), outputs: Array.from(g.int32s(2)), operators, name: g.string(4) };
  });
  return { version: model.uint32(0), description: model.string(3), subgraphs, buffers };
}

/**
 * Options tables by BuiltinOptions union index (schema order, NONE = 0).
 * @param {flatbuffers.ByteBuffer} bb @param {number} type @param {number | null} pos
 * @returns {Record<string, unknown>}
 */
function readOptions(bb, type, pos) {
  if (pos === null) return {};
  const t = table(bb, pos);
  switch (type) {
    case 1: // Conv2DOptions
      return { padding: Padding[t.int8(0)], strideW: t.int32(1), strideH: t.int32(2), activation: Activation[t.int8(3)], dilationW: t.int32(4, 1), dilationH: t.int32(5, 1) };
    case 2: // DepthwiseConv2DOptions
      return { padding: Padding[t.int8(0)], strideW: t.int32(1), strideH: t.int32(2), depthMultiplier: t.int32(3), activation: Activation[t.int8(4)], dilationW: t.int32(5, 1), dilationH: t.int32(6, 1) };
    case 5: // Pool2DOptions
      return { padding: Padding[t.int8(0)], strideW: t.int32(1), strideH: t.int32(2), filterW: t.int32(3), filterH: t.int32(4), activation: Activation[t.int8(5)] };
    case 8: // FullyConnectedOptions
      return { activation: Activation[t.int8(0)], weightsFormat: t.int8(1), keepNumDims: t.uint8(2) === 1 };
    case 9: // SoftmaxOptions
      return { beta: t.float32(0) };
    case 10: // ConcatenationOptions
      return { axis: t.int32(0), activation: Activation[t.int8(1)] };
    case 11: // AddOptions
    case 21: // MulOptions
    case 28: // SubOptions
    case 29: // DivOptions
      return { activation: Activation[t.int8(0)] };
    case 17: // ReshapeOptions
      return { newShape: Array.from(t.int32s(0)) };
    case 27: // ReducerOptions
      return { keepDims: t.uint8(0) === 1 };
    case 30: // SqueezeOptions
      return { squeezeDims: Array.from(t.int32s(0)) };
    case 32: // StridedSliceOptions
      return { beginMask: t.int32(0), endMask: t.int32(1), ellipsisMask: t.int32(2), newAxisMask: t.int32(3), shrinkAxisMask: t.int32(4) };
    case 37: // CastOptions
      return { inType: t.int8(0), outType: t.int8(1) };
    case 59: // PackOptions
      return { valuesCount: t.int32(0), axis: t.int32(1) };
    default:
      return { unreadOptionsType: type };
  }
}
