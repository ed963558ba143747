/** An element of a `MinHeap`: its position, kept by the heap (-1 when not in it), so removal is O(log n). */
export interface HeapNode {
  index: number;
}

/**
 * A binary min-heap ordered by `before`, whose nodes know their position: the timer heap of the
 * scheduler and the budget's queue of waiting requests both use it.
 */
export class MinHeap<T extends HeapNode> {
  private readonly nodes: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.nodes.length;
  }

  peek(): T | undefined {
    return this.nodes[0];
  }

  push(node: T): void {
    node.index = this.nodes.push(node) - 1;
    this.up(node.index);
  }

  pop(): T | undefined {
    const first = this.nodes[0];
    if (first !== undefined) this.remove(first);
    return first;
  }

  remove(node: T): void {
    const index = node.index;
    if (index < 0 || this.nodes[index] !== node) return;
    const last = this.nodes.pop()!;
    node.index = -1;
    if (last === node) return;
    this.nodes[index] = last;
    last.index = index;
    this.up(index);
    this.down(last.index);
  }

  /** Empties the heap, returning what it held. */
  drain(): T[] {
    const nodes = this.nodes.splice(0);
    for (const node of nodes) node.index = -1;
    return nodes;
  }

  private up(start: number): void {
    const nodes = this.nodes;
    for (let index = start; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!this.before(nodes[index]!, nodes[parent]!)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(start: number): void {
    const nodes = this.nodes;
    for (let index = start; ; ) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < nodes.length && this.before(nodes[left]!, nodes[smallest]!)) smallest = left;
      if (right < nodes.length && this.before(nodes[right]!, nodes[smallest]!)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const nodes = this.nodes;
    const first = nodes[a]!;
    const second = nodes[b]!;
    nodes[a] = second;
    nodes[b] = first;
    second.index = a;
    first.index = b;
  }
}
