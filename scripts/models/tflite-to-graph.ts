/**
 * Converts a parsed .tflite subgraph into a TensorFlow.js GraphModel (GraphDef JSON + constants).
 *
 * Besides a one-to-one op mapping it does three things, each checked by the parity tests against
 * the TFLite reference outputs in ../shared/fixtures/tflite-reference.json:
 * - fuses the elementary-op spellings of PReLU and softmax back into Prelu / Softmax, and folds a
 *   following activation into the conv / matmul (`_FusedConv2D` etc.), so tfjs runs one kernel
 *   where the graph had six;
 * - optionally bakes MTCNN's image transpose into the weights (see `transposeSpatial`);
 * - frees hard-coded batch sizes in reshapes (MobileFaceNet reshapes to [2, 192]).
 */
import { attr, type ConstTensor, GraphBuilder } from './graph-def.ts';
import type { TfliteModel, TfliteOperator, TfliteSubgraph } from './tflite-schema.ts';

export interface ConvertOptions {
  /**
   * The Caffe-derived MTCNN nets were trained on transposed images ([N, W, H, 3]). With this set,
   * conv kernels get their H and W swapped and the first fully-connected layer's rows are permuted
   * from (h, w, c) to (w, h, c) order, so the converted net takes plain NHWC images and returns
   * outputs in plain image orientation.
   */
  readonly transposeSpatial: boolean;
  /** Input placeholder shape; -1 marks a free dimension. */
  readonly inputShape: readonly number[];
}

export interface ConvertedGraph {
  readonly builder: GraphBuilder;
  readonly inputName: string;
  readonly outputNames: readonly string[];
  /** How many tflite ops went in and how many graph ops came out (for the log). */
  readonly stats: { readonly tfliteOps: number; readonly graphOps: number };
}

type FusedActivation =
  | { readonly kind: 'Relu' }
  | { readonly kind: 'Relu6' }
  | { readonly kind: 'Prelu'; readonly alpha: number; readonly alphaScale: number }
  | { readonly kind: 'LeakyRelu'; readonly alpha: number };

/** A tflite op after rewriting: PRELU and SOFTMAX may stand for several source ops. */
interface IrOp extends Omit<TfliteOperator, 'outputs'> {
  /** Mutable: folding an activation moves its output onto the conv / matmul. */
  outputs: readonly number[];
  activation?: FusedActivation;
  /** PRELU only: the constant alpha tensor and a factor applied to it. */
  prelu?: { readonly alpha: number; readonly alphaScale: number };
}

const sanitize = (name: string) => name.replace(/:/g, '_');

export function convertTflite(model: TfliteModel, options: ConvertOptions): ConvertedGraph {
  const graph = model.subgraphs[0];
  if (!graph || model.subgraphs.length !== 1) throw new Error('expected exactly one subgraph');
  const ops = fuseActivations(graph, fusePatterns(graph));
  const context = new EmitContext(model, graph, options);
  const input = graph.inputs[0];
  if (input === undefined || graph.inputs.length !== 1) throw new Error('expected exactly one input');
  const inputName = context.builder.placeholder(
    sanitize(graph.tensors[input]?.name ?? 'input'),
    options.inputShape,
  );
  context.bind(input, inputName);
  for (const op of ops) context.emit(op);
  const outputNames = graph.outputs.map((t) => context.nameOf(t));
  return {
    builder: context.builder,
    inputName,
    outputNames,
    stats: {
      tfliteOps: graph.operators.length,
      graphOps: context.builder.nodes.filter((n) => n.op !== 'Const').length,
    },
  };
}

/** Where each tensor comes from and how many ops read it. */
function indexGraph(graph: TfliteSubgraph, ops: readonly TfliteOperator[]) {
  const producer = new Map<number, TfliteOperator>();
  const readers = new Map<number, number>();
  for (const op of ops) {
    for (const t of op.outputs) producer.set(t, op);
    for (const t of op.inputs) if (t >= 0) readers.set(t, (readers.get(t) ?? 0) + 1);
  }
  for (const t of graph.outputs) readers.set(t, (readers.get(t) ?? 0) + 1);
  return { producer, readers };
}

/**
 * Rewrites PReLU and softmax spelled as elementary ops:
 * - MTCNN: relu(x) + alpha · (−relu(−x))
 * - MobileFaceNet: relu(x) + m · (x − |x|), i.e. alpha = 2m
 * - softmax: exp(x − max(x)) / Σ exp(x − max(x)) over the last axis
 * Both PReLU forms equal relu(x) + alpha · min(x, 0) exactly in float32 (the factors involved are
 * powers of two), so the rewrite changes no value beyond kernel rounding.
 */
function fusePatterns(graph: TfliteSubgraph): IrOp[] {
  const { producer, readers } = indexGraph(graph, graph.operators);
  const isConst = (t: number) => (graph.tensors[t]?.buffer ?? 0) > 0;
  const from = (t: number | undefined, op: string) => {
    const p = t === undefined ? undefined : producer.get(t);
    return p && p.op === op && readers.get(t ?? -1) === 1 ? p : undefined;
  };
  const from2 = (t: number | undefined, op: string) => {
    // Like `from`, but x itself is read twice by these patterns, so only the op type is checked.
    const p = t === undefined ? undefined : producer.get(t);
    return p && p.op === op ? p : undefined;
  };
  const dead = new Set<TfliteOperator>();
  const replaced = new Map<TfliteOperator, IrOp>();

  for (const add of graph.operators) {
    if (add.op === 'ADD') {
      const [a, b] = add.inputs;
      const relu = from(a, 'RELU');
      const mul = from(b, 'MUL');
      if (!relu || !mul) continue;
      const x = relu.inputs[0];
      const alphaIndex = mul.inputs.findIndex(isConst);
      const alpha = mul.inputs[alphaIndex];
      const other = mul.inputs[1 - alphaIndex];
      if (alpha === undefined || other === undefined || x === undefined) continue;
      // MTCNN form: other = neg(relu(neg(x)))
      const neg2 = from(other, 'NEG');
      const relu2 = from(neg2?.inputs[0], 'RELU');
      const neg1 = from(relu2?.inputs[0], 'NEG');
      // MobileFaceNet form: other = sub(x, abs(x))
      const sub = from(other, 'SUB');
      const abs = from(sub?.inputs[1], 'ABS');
      let chain: TfliteOperator[] | undefined;
      let alphaScale = 1;
      if (neg2 && relu2 && neg1 && neg1.inputs[0] === x) chain = [relu, mul, neg2, relu2, neg1];
      else if (sub && abs && sub.inputs[0] === x && abs.inputs[0] === x) {
        chain = [relu, mul, sub, abs];
        alphaScale = 2;
      }
      if (!chain) continue;
      for (const op of chain) dead.add(op);
      replaced.set(add, {
        op: 'PRELU',
        inputs: [x],
        outputs: add.outputs,
        options: {},
        prelu: { alpha, alphaScale },
      });
    } else if (add.op === 'DIV') {
      const [e, s] = add.inputs;
      const exp = from2(e, 'EXP');
      const sum = from(s, 'SUM');
      const sub = from(exp?.inputs[0], 'SUB');
      const max = from(sub?.inputs[1], 'REDUCE_MAX');
      if (!exp || !sum || !sub || !max || sum.inputs[0] !== e || max.inputs[0] !== sub.inputs[0]) continue;
      if (readers.get(e ?? -1) !== 2) continue;
      for (const op of [exp, sum, sub, max]) dead.add(op);
      replaced.set(add, { op: 'SOFTMAX', inputs: [max.inputs[0] ?? -1], outputs: add.outputs, options: {} });
    }
  }
  return graph.operators.filter((op) => !dead.has(op)).map((op) => replaced.get(op) ?? { ...op });
}

/** Folds a single-reader activation that follows a conv / depthwise conv / fully-connected op. */
function fuseActivations(graph: TfliteSubgraph, ops: IrOp[]): IrOp[] {
  const { producer, readers } = indexGraph(graph, ops);
  const fusible = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);
  const dead = new Set<IrOp>();
  for (const op of ops) {
    const source = producer.get(op.inputs[0] ?? -1) as IrOp | undefined;
    if (!source || !fusible.has(source.op) || readers.get(op.inputs[0] ?? -1) !== 1) continue;
    if ((source.options.activation ?? 'NONE') !== 'NONE') continue;
    let activation: FusedActivation | undefined;
    if (op.op === 'PRELU' && op.prelu) activation = { kind: 'Prelu', ...op.prelu };
    else if (op.op === 'LEAKY_RELU') activation = { kind: 'LeakyRelu', alpha: op.options.alpha ?? 0.2 };
    else if (op.op === 'RELU') activation = { kind: 'Relu' };
    if (!activation) continue;
    source.activation = activation;
    source.outputs = op.outputs;
    dead.add(op);
  }
  return ops.filter((op) => !dead.has(op));
}

/** Emits graph nodes for IR ops, tracking which node holds each tflite tensor. */
class EmitContext {
  readonly builder = new GraphBuilder();
  private readonly names = new Map<number, string>();
  /** Constants already emitted, by tensor index and layout. */
  private readonly constNames = new Map<string, string>();
  /** DEQUANTIZE outputs point at their float16 source tensor. */
  private readonly aliases = new Map<number, number>();

  constructor(
    private readonly model: TfliteModel,
    private readonly graph: TfliteSubgraph,
    private readonly options: ConvertOptions,
  ) {}

  bind(tensor: number, name: string) {
    this.names.set(tensor, name);
  }

  nameOf(tensor: number): string {
    const name = this.names.get(tensor);
    if (name !== undefined) return name;
    if (this.isConst(tensor)) return this.constant(tensor, 'as-is');
    throw new Error(`tensor ${this.tensor(tensor).name} is read before it is written`);
  }

  private tensor(index: number) {
    const t = this.graph.tensors[this.aliases.get(index) ?? index];
    if (!t) throw new Error(`no tensor ${index}`);
    return t;
  }

  private isConst(index: number) {
    return this.tensor(index).buffer > 0 && (this.model.buffers[this.tensor(index).buffer]?.length ?? 0) > 0;
  }

  /** Reads a constant as float32 or int32 values plus whether it was stored as float16. */
  private constValues(index: number): { data: Float32Array | Int32Array; float16: boolean } {
    const t = this.tensor(index);
    const raw = this.model.buffers[t.buffer];
    if (!raw) throw new Error(`tensor ${t.name} has no data`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    switch (t.dtype) {
      case 'float32':
        return {
          data: Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true)),
          float16: false,
        };
      case 'float16':
        return {
          data: Float32Array.from({ length: raw.byteLength / 2 }, (_, i) =>
            halfToFloat(view.getUint16(2 * i, true)),
          ),
          float16: true,
        };
      case 'int32':
        return {
          data: Int32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true)),
          float16: false,
        };
      default:
        throw new Error(`constant ${t.name} has unsupported type ${t.dtype}`);
    }
  }

  private intValues(index: number): number[] {
    return Array.from(this.constValues(index).data);
  }

  /** Emits a constant in the layout a consumer needs (each layout once). */
  private constant(index: number, layout: Layout, scale = 1, denseInputShape?: readonly number[]): string {
    const key = `${index}/${layout}/${scale}`;
    const known = this.constNames.get(key);
    if (known) return known;
    const t = this.tensor(index);
    const { data, float16 } = this.constValues(index);
    const { values, shape } = relayout(data, t.shape, layout, this.options.transposeSpatial, denseInputShape);
    if (scale !== 1) for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * scale;
    const suffix = layout === 'as-is' ? '' : `/${layout}`;
    const name = this.builder.constant({
      name: sanitize(`${t.name}${suffix}${scale === 1 ? '' : `/x${scale}`}`),
      shape,
      dtype: values instanceof Int32Array ? 'int32' : 'float32',
      data: values,
      storeAsFloat16: float16,
    } satisfies ConstTensor);
    this.constNames.set(key, name);
    return name;
  }

  emit(op: IrOp) {
    const out = op.outputs[0];
    if (out === undefined) throw new Error(`${op.op} has no output`);
    const name = sanitize(this.graph.tensors[out]?.name ?? `t${out}`);
    const [in0, in1, in2] = op.inputs;
    const x = () => this.nameOf(in0 ?? -1);
    const transposed = this.options.transposeSpatial;
    const swap = <T>(h: T, w: T): [T, T] => (transposed ? [w, h] : [h, w]);
    const b = this.builder;
    const t = (dtype: 'float32' | 'int32' | 'bool' = 'float32') => ({ T: attr.type(dtype) });

    switch (op.op) {
      case 'DEQUANTIZE':
        this.aliases.set(out, in0 ?? -1);
        return;
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const o = op.options;
        const [sh, sw] = swap(o.strideH ?? 1, o.strideW ?? 1);
        const [dh, dw] = swap(o.dilationH ?? 1, o.dilationW ?? 1);
        const depthwise = op.op === 'DEPTHWISE_CONV_2D';
        const filter = this.constant(in1 ?? -1, depthwise ? 'depthwise' : 'conv');
        const { fusedOps, args, extra } = this.fused(op, in2);
        this.bind(
          out,
          b.op(name, depthwise ? 'FusedDepthwiseConv2dNative' : '_FusedConv2D', [x(), filter, ...args], {
            ...t(),
            strides: attr.ints([1, sh, sw, 1]),
            padding: attr.string(o.padding ?? 'VALID'),
            data_format: attr.string('NHWC'),
            dilations: attr.ints([1, dh, dw, 1]),
            fused_ops: attr.strings(fusedOps),
            num_args: attr.int(args.length),
            ...extra,
          }),
        );
        return;
      }
      case 'FULLY_CONNECTED': {
        const inShape = this.tensor(in0 ?? -1).shape;
        const weights = this.constant(
          in1 ?? -1,
          inShape.length === 4 ? 'dense-from-spatial' : 'dense',
          1,
          inShape,
        );
        const inner = this.tensor(in1 ?? -1).shape[1] ?? -1;
        const flat =
          inShape.length === 2
            ? x()
            : b.op(
                `${name}/flatten`,
                'Reshape',
                [x(), b.int32Constant(`${name}/flatten/shape`, [-1, inner])],
                t(),
              );
        const { fusedOps, args, extra } = this.fused(op, in2);
        this.bind(
          out,
          b.op(name, '_FusedMatMul', [flat, weights, ...args], {
            ...t(),
            transpose_a: attr.bool(false),
            transpose_b: attr.bool(false),
            fused_ops: attr.strings(fusedOps),
            num_args: attr.int(args.length),
            ...extra,
          }),
        );
        return;
      }
      case 'MAX_POOL_2D':
      case 'AVERAGE_POOL_2D': {
        const o = op.options;
        const [kh, kw] = swap(o.filterH ?? 1, o.filterW ?? 1);
        const [sh, sw] = swap(o.strideH ?? 1, o.strideW ?? 1);
        this.bind(
          out,
          b.op(name, op.op === 'MAX_POOL_2D' ? 'MaxPool' : 'AvgPool', [x()], {
            ...t(),
            ksize: attr.ints([1, kh, kw, 1]),
            strides: attr.ints([1, sh, sw, 1]),
            padding: attr.string(o.padding ?? 'VALID'),
            data_format: attr.string('NHWC'),
          }),
        );
        return this.activation(op, out, name);
      }
      case 'PRELU': {
        const alpha = this.constant(op.prelu?.alpha ?? -1, 'as-is', op.prelu?.alphaScale ?? 1);
        this.bind(out, b.op(name, 'Prelu', [x(), alpha], t()));
        return;
      }
      case 'SOFTMAX':
        this.bind(out, b.op(name, 'Softmax', [x()], t()));
        return;
      case 'LEAKY_RELU':
        this.bind(
          out,
          b.op(name, 'LeakyRelu', [x()], { ...t(), alpha: attr.float(op.options.alpha ?? 0.2) }),
        );
        return;
      case 'RELU':
      case 'NEG':
      case 'ABS':
      case 'EXP': {
        const tfOp = { RELU: 'Relu', NEG: 'Neg', ABS: 'Abs', EXP: 'Exp' }[op.op];
        this.bind(out, b.op(name, tfOp, [x()], t()));
        return;
      }
      case 'ADD':
      case 'SUB':
      case 'MUL':
      case 'DIV': {
        const tfOp = { ADD: 'AddV2', SUB: 'Sub', MUL: 'Mul', DIV: 'RealDiv' }[op.op];
        this.bind(out, b.op(name, tfOp, [x(), this.nameOf(in1 ?? -1)], t()));
        return this.activation(op, out, name);
      }
      case 'GREATER_EQUAL':
      case 'LESS': {
        const tfOp = op.op === 'LESS' ? 'Less' : 'GreaterEqual';
        this.bind(out, b.op(name, tfOp, [x(), this.nameOf(in1 ?? -1)], t()));
        return;
      }
      case 'CAST': {
        const to = op.options.outType === 'int32' ? 'int32' : 'float32';
        this.bind(out, b.op(name, 'Cast', [x()], { SrcT: attr.type('bool'), DstT: attr.type(to) }));
        return;
      }
      case 'REDUCE_MAX':
      case 'SUM': {
        const axes = this.intValues(in1 ?? -1);
        const tfOp = op.op === 'SUM' ? 'Sum' : 'Max';
        const axisName = b.int32Constant(`${name}/axes`, axes);
        this.bind(
          out,
          b.op(name, tfOp, [x(), axisName], { ...t(), keep_dims: attr.bool(op.options.keepDims ?? false) }),
        );
        return;
      }
      case 'RESHAPE': {
        const shape = op.options.newShape?.length ? [...op.options.newShape] : this.intValues(in1 ?? -1);
        // The batch size is a run-time choice: a hard-coded leading dimension that equals the
        // traced batch (MobileFaceNet: [2, 192]) becomes -1.
        const inputBatch = this.tensor(in0 ?? -1).shape[0];
        if (shape.length >= 2 && shape[0] === inputBatch) shape[0] = -1;
        this.bind(out, b.op(name, 'Reshape', [x(), b.int32Constant(`${name}/shape`, shape)], t()));
        return;
      }
      case 'STRIDED_SLICE': {
        const o = op.options;
        const consts = op.inputs
          .slice(1)
          .map((i, k) => b.int32Constant(`${name}/${['begin', 'end', 'strides'][k]}`, this.intValues(i)));
        this.bind(
          out,
          b.op(name, 'StridedSlice', [x(), ...consts], {
            ...t(),
            Index: attr.type('int32'),
            begin_mask: attr.int(o.beginMask ?? 0),
            end_mask: attr.int(o.endMask ?? 0),
            ellipsis_mask: attr.int(o.ellipsisMask ?? 0),
            new_axis_mask: attr.int(o.newAxisMask ?? 0),
            shrink_axis_mask: attr.int(o.shrinkAxisMask ?? 0),
          }),
        );
        return;
      }
      case 'CONCATENATION': {
        const inputs = op.inputs.map((i) => this.nameOf(i));
        const axis = b.int32Constant(`${name}/axis`, [op.options.axis ?? -1], []);
        this.bind(out, b.op(name, 'ConcatV2', [...inputs, axis], { ...t(), N: attr.int(inputs.length) }));
        return this.activation(op, out, name);
      }
      default:
        throw new Error(`unsupported tflite op ${op.op} (output ${name})`);
    }
  }

  /** The fused_ops list and extra inputs for a conv / matmul with bias and optional activation. */
  private fused(op: IrOp, bias: number | undefined) {
    const fusedOps: string[] = [];
    const args: string[] = [];
    const extra: Record<string, ReturnType<typeof attr.float>> = {};
    if (bias !== undefined && bias >= 0) {
      fusedOps.push('BiasAdd');
      args.push(this.constant(bias, 'as-is'));
    }
    const activation = op.activation ?? sourceActivation(op);
    if (activation) {
      if (fusedOps.length === 0)
        throw new Error('an activation fused without a bias is not supported by tfjs');
      fusedOps.push(activation.kind);
      if (activation.kind === 'Prelu')
        args.push(this.constant(activation.alpha, 'as-is', activation.alphaScale));
      if (activation.kind === 'LeakyRelu') extra.leakyrelu_alpha = attr.float(activation.alpha);
    }
    return { fusedOps, args, extra };
  }

  /** Elementwise ops and pools may carry a fused activation in their tflite options. */
  private activation(op: IrOp, out: number, name: string) {
    const kind = op.options.activation ?? 'NONE';
    if (kind === 'NONE') return;
    if (kind !== 'RELU' && kind !== 'RELU6')
      throw new Error(`unsupported fused activation ${kind} on ${name}`);
    this.bind(
      out,
      this.builder.op(`${name}/${kind.toLowerCase()}`, kind === 'RELU' ? 'Relu' : 'Relu6', [name], {
        T: attr.type('float32'),
      }),
    );
  }
}

function sourceActivation(op: IrOp): FusedActivation | undefined {
  switch (op.options.activation ?? 'NONE') {
    case 'NONE':
      return undefined;
    case 'RELU':
      return { kind: 'Relu' };
    case 'RELU6':
      return { kind: 'Relu6' };
    default:
      throw new Error(`unsupported fused activation ${op.options.activation}`);
  }
}

type Layout = 'as-is' | 'conv' | 'depthwise' | 'dense' | 'dense-from-spatial';

/**
 * TFLite stores conv filters as [O, H, W, I], depthwise filters as [1, H, W, C·m] and dense weights
 * as [out, in]; TensorFlow wants [H, W, I, O], [H, W, C, m] and [in, out].
 */
function relayout(
  data: Float32Array | Int32Array,
  shape: readonly number[],
  layout: Layout,
  transposeSpatial: boolean,
  denseInputShape?: readonly number[],
): { values: Float32Array | Int32Array; shape: number[] } {
  switch (layout) {
    case 'as-is':
      return { values: data.slice(), shape: [...shape] };
    case 'conv': {
      const [o = 0, h = 0, w = 0, i = 0] = shape;
      // Swapping kernel H and W bakes in the transpose: the net then sees the image as trained.
      return transposeSpatial
        ? { values: permute(data, [o, h, w, i], [2, 1, 3, 0]), shape: [w, h, i, o] }
        : { values: permute(data, [o, h, w, i], [1, 2, 3, 0]), shape: [h, w, i, o] };
    }
    case 'depthwise': {
      const [, h = 0, w = 0, c = 0] = shape;
      const values = transposeSpatial ? permute(data, [1, h, w, c], [0, 2, 1, 3]) : data.slice();
      return { values, shape: transposeSpatial ? [w, h, c, 1] : [h, w, c, 1] };
    }
    case 'dense':
    case 'dense-from-spatial': {
      const [out = 0, inner = 0] = shape;
      const values = permute(data, [out, inner], [1, 0]);
      if (layout === 'dense' || !transposeSpatial) return { values, shape: [inner, out] };
      // The source graph flattened features of the transposed image, [A, B, C] with A the image's
      // x axis. Our features are [B, A, C]: row (y·A + x)·C + c must read source row (x·B + y)·C + c.
      const [, a = 0, bDim = 0, c = 0] = denseInputShape ?? [];
      if (a * bDim * c !== inner)
        throw new Error(`dense input ${denseInputShape} does not flatten to ${inner}`);
      const permuted = new Float32Array(values.length);
      for (let y = 0; y < bDim; y++)
        for (let x = 0; x < a; x++)
          for (let ch = 0; ch < c; ch++) {
            const dst = ((y * a + x) * c + ch) * out;
            const src = ((x * bDim + y) * c + ch) * out;
            permuted.set(values.subarray(src, src + out), dst);
          }
      return { values: permuted, shape: [inner, out] };
    }
  }
}

/** Transposes a row-major tensor: result axis k is source axis perm[k]. */
function permute<T extends Float32Array | Int32Array>(
  data: T,
  shape: readonly number[],
  perm: readonly number[],
): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p] ?? 0);
  const srcStrides = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) srcStrides[k] = (srcStrides[k + 1] ?? 1) * (shape[k + 1] ?? 1);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < data.length; flat++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += (index[k] ?? 0) * (srcStrides[perm[k] ?? 0] ?? 0);
    out[flat] = data[src] ?? 0;
    for (let k = rank - 1; k >= 0; k--) {
      index[k] = (index[k] ?? 0) + 1;
      if ((index[k] ?? 0) < (outShape[k] ?? 0)) break;
      index[k] = 0;
    }
  }
  return out;
}

/** IEEE 754 half → float (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
