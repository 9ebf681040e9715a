/**
 * Builds a TensorFlow GraphDef in the JSON form that tfjs-converter's `loadGraphModel` reads
 * (model.json `modelTopology`), together with the constant tensors that become the weights manifest.
 */

export type GraphDtype = 'float32' | 'int32' | 'bool';

/** One constant tensor. float16 marks weights stored as IEEE half floats in the shard. */
export interface ConstTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
  readonly storeAsFloat16: boolean;
}

type AttrValue =
  | { type: string }
  | { s: string }
  | { i: string }
  | { f: number }
  | { b: boolean }
  | { list: { i?: string[]; s?: string[] } }
  | { shape: { dim: { size: string }[] } }
  | { tensor: { dtype: string; tensorShape: { dim: { size: string }[] } } };

export interface GraphNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, AttrValue>;
}

const TF_DTYPES: Record<GraphDtype, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' };

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const dims = (shape: readonly number[]) => ({ dim: shape.map((size) => ({ size: String(size) })) });

/** Attribute encoders, named after the AttrValue field they fill. */
export const attr = {
  type: (dtype: GraphDtype): AttrValue => ({ type: TF_DTYPES[dtype] }),
  string: (value: string): AttrValue => ({ s: base64(value) }),
  int: (value: number): AttrValue => ({ i: String(value) }),
  float: (value: number): AttrValue => ({ f: value }),
  bool: (value: boolean): AttrValue => ({ b: value }),
  ints: (values: readonly number[]): AttrValue => ({ list: { i: values.map(String) } }),
  strings: (values: readonly string[]): AttrValue => ({ list: { s: values.map(base64) } }),
};

/** Accumulates nodes and constants; names are kept unique by the caller (tflite tensor names are). */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly consts: ConstTensor[] = [];
  private readonly names = new Set<string>();

  placeholder(name: string, shape: readonly number[], dtype: GraphDtype = 'float32'): string {
    return this.add({
      name,
      op: 'Placeholder',
      input: [],
      attr: { dtype: attr.type(dtype), shape: { shape: dims(shape) } },
    });
  }

  constant(tensor: ConstTensor): string {
    this.consts.push(tensor);
    return this.add({
      name: tensor.name,
      op: 'Const',
      input: [],
      attr: {
        value: { tensor: { dtype: TF_DTYPES[tensor.dtype], tensorShape: dims(tensor.shape) } },
        dtype: attr.type(tensor.dtype),
      },
    });
  }

  int32Constant(name: string, values: readonly number[], shape: readonly number[] = [values.length]): string {
    return this.constant({
      name,
      shape,
      dtype: 'int32',
      data: Int32Array.from(values),
      storeAsFloat16: false,
    });
  }

  op(name: string, op: string, input: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.add({ name, op, input, attr: attrs });
  }

  private add(node: GraphNode): string {
    if (this.names.has(node.name)) throw new Error(`duplicate graph node name ${node.name}`);
    this.names.add(node.name);
    this.nodes.push(node);
    return node.name;
  }
}
