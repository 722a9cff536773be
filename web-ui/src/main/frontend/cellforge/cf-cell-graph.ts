import { Graph, layout } from '@dagrejs/dagre';

interface CellNode {
  id: string;
  label?: string;
}

interface CellEdge {
  from: string;
  to: string;
  op: string;
}

interface Cell {
  name: string;
  nodes: CellNode[];
  edges: CellEdge[];
}

interface Point {
  x: number;
  y: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
// Fixed, so an op keeps its colour across cells, pages and reloads. The ops of the project's spaces
// come first in a fixed order, so each of them has a colour of its own; a hash of the name picks
// one for any other op, where two may then share a colour.
const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#7f7f7f', '#393b79', '#637939', '#ad494a', '#7b4173', '#3182bd', '#e6550d',
];
const KNOWN_OPS = [
  'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5', 'max_pool_3x3', 'avg_pool_3x3',
  'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'nor_conv_5x5', 'identity', 'concat',
];
const FONT = '12px sans-serif';
const NODE_HEIGHT = 28;
const EDGE_LABEL_HEIGHT = 14;

let instances = 0;
let measureContext: CanvasRenderingContext2D | null | undefined;

function colourOf(op: string): string {
  const known = KNOWN_OPS.indexOf(op);
  if (known >= 0) return PALETTE[known];
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < op.length; i++) {
    hash = Math.imul(hash ^ op.charCodeAt(i), 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length];
}

// dagre places boxes of the sizes it is given, so labels are measured before the layout.
function textWidth(text: string): number {
  if (measureContext === undefined) {
    measureContext = document.createElement('canvas').getContext('2d');
    if (measureContext) measureContext.font = FONT;
  }
  return measureContext ? measureContext.measureText(text).width : text.length * 7;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  parent?.appendChild(element);
  return element;
}

function pathThrough(points: Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/**
 * A searched cell drawn as its DAG. The server sends only nodes and edges; dagre computes the
 * placement here, because a readable layout of up to dozens of edges with parallel ones is what the
 * dashboard cannot hand-place. Rendered as light-DOM SVG so tests and page styles reach it.
 */
class CfCellGraph extends HTMLElement {
  private graphJson: string | null = null;
  private readonly instance = ++instances;

  get graph(): string | null {
    return this.graphJson;
  }

  set graph(json: string | null) {
    this.graphJson = json;
    this.render();
  }

  connectedCallback(): void {
    // A value set before this class was defined sits on the instance and hides the setter.
    if (Object.prototype.hasOwnProperty.call(this, 'graph')) {
      const early = (this as unknown as { graph: string | null }).graph;
      delete (this as unknown as { graph?: string | null }).graph;
      this.graph = early;
    } else {
      this.render();
    }
  }

  private render(): void {
    this.replaceChildren();
    if (!this.graphJson) return;
    const cells = (JSON.parse(this.graphJson) as { cells?: Cell[] }).cells ?? [];
    cells.forEach((cell, index) => this.appendChild(this.drawCell(cell, index)));
  }

  private drawCell(cell: Cell, index: number): HTMLElement {
    const g = new Graph({ multigraph: true, directed: true });
    g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, edgesep: 12, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));

    for (const node of cell.nodes ?? []) {
      const label = node.label ?? node.id;
      g.setNode(node.id, { label, width: Math.max(textWidth(label) + 22, 36), height: NODE_HEIGHT });
    }
    const edges = (cell.edges ?? []).filter((e) => e.op !== 'none');
    edges.forEach((edge, i) => {
      for (const end of [edge.from, edge.to]) {
        if (!g.hasNode(end)) {
          g.setNode(end, { label: end, width: textWidth(end) + 22, height: NODE_HEIGHT });
        }
      }
      // The name keeps two ops between the same pair of nodes apart in the multigraph.
      g.setEdge(edge.from, edge.to, {
        op: edge.op,
        width: textWidth(edge.op) + 6,
        height: EDGE_LABEL_HEIGHT,
        labelpos: 'c',
      }, `e${i}`);
    });
    layout(g);

    const block = document.createElement('div');
    block.className = 'cell-block';
    block.style.margin = '0 0 12px 0';
    const caption = document.createElement('div');
    caption.className = 'cell-caption';
    caption.textContent = cell.name;
    caption.style.font = 'bold 13px sans-serif';
    caption.style.margin = '4px 0';
    block.appendChild(caption);

    const size = g.graph();
    const width = Math.ceil(size.width ?? 0);
    const height = Math.ceil(size.height ?? 0);
    const root = svg('svg', {
      class: 'cell',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': cell.name,
    });
    root.setAttribute('data-cell', cell.name);
    root.style.font = FONT;
    root.style.maxWidth = '100%';
    root.style.height = 'auto';
    block.appendChild(root);

    // One arrowhead per colour: markers take their colour from their own definition.
    const defs = svg('defs', {}, root);
    const markers = new Map<string, string>();
    const markerFor = (colour: string): string => {
      let id = markers.get(colour);
      if (!id) {
        id = `cf-arrow-${this.instance}-${index}-${markers.size}`;
        markers.set(colour, id);
        const marker = svg('marker', {
          id, viewBox: '0 0 10 10', refX: 9, refY: 5,
          markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
        }, defs);
        svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }, marker);
      }
      return id;
    };

    const edgeLayer = svg('g', { class: 'edges' }, root);
    for (const e of g.edges()) {
      const label = g.edge(e) as { op: string; points: Point[]; x: number; y: number };
      // An edge without an op is a DARTS cell's concatenation into its output: drawn grey and dashed,
      // unlabelled, so that only searched operations carry labels.
      const concat = label.op === '';
      const colour = concat ? '#9e9e9e' : colourOf(label.op);
      const group = svg('g', { class: 'edge', 'data-op': label.op, 'data-from': e.v, 'data-to': e.w }, edgeLayer);
      const path = svg('path', {
        d: pathThrough(label.points),
        fill: 'none',
        stroke: colour,
        'stroke-width': 1.6,
        'marker-end': `url(#${markerFor(colour)})`,
      }, group);
      if (concat) {
        path.setAttribute('stroke-dasharray', '4 3');
        continue;
      }
      const w = textWidth(label.op) + 6;
      svg('rect', {
        x: label.x - w / 2, y: label.y - EDGE_LABEL_HEIGHT / 2, width: w, height: EDGE_LABEL_HEIGHT,
        rx: 3, fill: 'white', 'fill-opacity': 0.85,
      }, group);
      const text = svg('text', {
        class: 'edge-label', x: label.x, y: label.y,
        'text-anchor': 'middle', 'dominant-baseline': 'central', fill: colour,
      }, group);
      text.textContent = label.op;
    }

    const nodeLayer = svg('g', { class: 'nodes' }, root);
    for (const id of g.nodes()) {
      const node = g.node(id) as { label: string; x: number; y: number; width: number; height: number };
      const group = svg('g', { class: 'node', transform: `translate(${node.x},${node.y})` }, nodeLayer);
      group.setAttribute('data-node', id);
      svg('rect', {
        x: -node.width / 2, y: -node.height / 2, width: node.width, height: node.height,
        rx: 6, ry: 6, fill: '#f4f6fa', stroke: '#5a6270', 'stroke-width': 1.2,
      }, group);
      const text = svg('text', { 'text-anchor': 'middle', 'dominant-baseline': 'central', fill: '#1a1d23' }, group);
      text.textContent = node.label;
    }
    return block;
  }
}

if (!customElements.get('cf-cell-graph')) {
  const style = document.createElement('style');
  style.textContent = 'cf-cell-graph { display: block; overflow: auto; }';
  document.head.appendChild(style);
  customElements.define('cf-cell-graph', CfCellGraph);
}
