package org.cellforge.web.ui.component;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/**
 * A cell drawn as its graph in the browser: dagre lays it out there, so the server sends only
 * nodes and edges. The version is pinned because the committed production bundle was built with it:
 * changing it needs {@code web-ui/build-bundle}.
 */
@Tag("cf-cell-graph")
@NpmPackage(value = "@dagrejs/dagre", version = "3.1.3")
@JsModule("./cellforge/cf-cell-graph.ts")
public final class CellGraph extends Component implements HasSize {

    /**
     * Takes {@code {"cells":[{"name":..,"nodes":[{"id":..,"label":..}],"edges":[{"from":..,"to":..,
     * "op":..}]}]}}; each cell is its own picture under its name, and {@code none} edges are left out.
     */
    public void setGraph(String json) {
        getElement().setProperty("graph", json);
    }
}
