import * as echarts from 'echarts';

/**
 * An ECharts chart whose whole option comes from the server as one JSON string, so a view can build
 * any chart without a client-side class per chart kind. The option replaces the previous one
 * (notMerge) because the server always sends the complete picture.
 */
class CfChart extends HTMLElement {
  private chart: echarts.ECharts | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private parsedOption: Record<string, unknown> | null = null;
  private optionJson: string | null = null;

  get option(): string | null {
    return this.optionJson;
  }

  set option(json: string | null) {
    this.optionJson = json;
    this.parsedOption = json ? (JSON.parse(json) as Record<string, unknown>) : null;
    this.render();
  }

  connectedCallback(): void {
    // A value set before this class was defined sits on the instance and hides the setter.
    if (Object.prototype.hasOwnProperty.call(this, 'option')) {
      const early = (this as unknown as { option: string | null }).option;
      delete (this as unknown as { option?: string | null }).option;
      this.option = early;
    }
    if (!this.chart) {
      // SVG rather than canvas: the points are elements that a browser test can count.
      this.chart = echarts.init(this, undefined, { renderer: 'svg' });
      this.chart.on('click', (params) => {
        const datum = params.data as { trial?: unknown } | null | undefined;
        if (datum && typeof datum === 'object' && typeof datum.trial === 'number') {
          this.dispatchEvent(
            new CustomEvent('trial-click', { detail: { trial: datum.trial }, bubbles: true, composed: true }),
          );
        }
      });
    }
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.chart?.resize());
      this.resizeObserver.observe(this);
    }
    this.render();
  }

  disconnectedCallback(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    // Vaadin detaches and re-attaches elements when views change; a disposed chart is rebuilt on the
    // next connect from the option kept here.
    this.chart?.dispose();
    this.chart = null;
  }

  private render(): void {
    if (!this.chart || !this.parsedOption) return;
    this.chart.setOption(this.parsedOption, true);
    const series = this.parsedOption.series;
    const list = Array.isArray(series) ? series : series ? [series] : [];
    let points = 0;
    for (const s of list) {
      const data = (s as { data?: unknown }).data;
      if (Array.isArray(data)) points += data.length;
    }
    this.setAttribute('data-series', String(list.length));
    this.setAttribute('data-points', String(points));
  }
}

if (!customElements.get('cf-chart')) {
  // A chart without a height collapses to nothing. A document rule, not inline style, so that the
  // server's setHeight or any stylesheet still wins.
  const style = document.createElement('style');
  style.textContent = 'cf-chart { display: block; height: 320px; width: 100%; }';
  document.head.appendChild(style);
  customElements.define('cf-chart', CfChart);
}
