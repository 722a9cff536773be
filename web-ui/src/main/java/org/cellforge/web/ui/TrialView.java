package org.cellforge.web.ui;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;

import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.SearchRequest;
import org.cellforge.web.search.RetrainInfo;
import org.cellforge.web.search.SearchFeed;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;
import org.cellforge.web.search.TrialInfo;
import org.cellforge.web.ui.component.CellGraph;
import org.cellforge.web.ui.component.EChart;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;

/**
 * One trial: its cell, learning curve, numbers with their kinds, where they came from, and its exports.
 * Redrawn while it trains.
 */
@Route("search/:searchId/trial/:number")
@PageTitle("Cellforge: trial")
@PermitAll
public final class TrialView extends VerticalLayout implements BeforeEnterObserver {

    private final SearchService service;
    private final RouterLink back = new RouterLink();
    private final H2 title = new H2();
    private final UnorderedList numbers = new UnorderedList();
    private final UnorderedList provenance = new UnorderedList();
    private final CellGraph cell = new CellGraph();
    private final EChart curve = new EChart();
    private final Anchor json = new Anchor();
    private final Anchor onnx = new Anchor();
    private final Anchor pytorch = new Anchor();
    private final Span missing = new Span();
    private long searchId;
    private int number;

    @Inject
    public TrialView(SearchService service, SearchFeed feed) {
        this.service = service;
        setWidthFull();
        back.setId("back-to-search");
        title.setId("trial-title");
        numbers.setId("trial-numbers");
        provenance.setId("trial-provenance");
        cell.setId("cell-graph");
        cell.setWidthFull();
        curve.setId("chart-trial-curve");
        curve.setWidth("40em");
        curve.setHeight("20em");
        json.setId("export-json");
        onnx.setId("export-onnx");
        pytorch.setId("export-pytorch");
        json.setText("Architecture and results (JSON)");
        onnx.setText("Trained network (ONNX)");
        pytorch.setText("PyTorch module with weights");
        for (Anchor a : List.of(json, onnx, pytorch)) {
            a.getElement().setAttribute("download", true);
        }
        missing.setId("trial-missing");
        add(Access.bar(), back, title, numbers, new H3("Cell"), cell, curve, new H3("Exports"),
                new HorizontalLayout(json, onnx, pytorch), new H3("Provenance"), provenance, missing);
        Live.whileAttached(this, feed, changed -> changed == searchId, this::refresh);
    }

    /** The route parameters of trial {@code number} of search {@code searchId}. */
    static RouteParameters parameters(long searchId, int number) {
        return new RouteParameters(java.util.Map.of("searchId", String.valueOf(searchId), "number",
                String.valueOf(number)));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        try {
            searchId = Long.parseLong(event.getRouteParameters().get("searchId").orElse(""));
            number = Integer.parseInt(event.getRouteParameters().get("number").orElse(""));
        } catch (NumberFormatException e) {
            searchId = -1;
            number = -1;
        }
        refresh();
    }

    private void refresh() {
        SearchInfo s;
        TrialInfo t;
        try {
            s = service.brief(searchId);
            t = service.trial(searchId, number);
        } catch (NotFoundException e) {
            title.setText("No trial " + number + " of search " + searchId);
            missing.setText(e.getMessage());
            return;
        }
        back.setText("Search " + searchId);
        back.setRoute(SearchDetailView.class, searchId);
        title.setText("Search " + searchId + ", trial " + number + ": " + t.status());
        numbers.removeAll();
        item(numbers, "Architecture", t.arch());
        if (t.validationAccuracy() != null) {
            item(numbers, "Validation accuracy", Format.accuracy(t.validationAccuracy()) + " (" + t.accuracyKind()
                    + ")");
        }
        if (t.supernetEstimate() != null) {
            item(numbers, "Validation accuracy", Format.accuracy(t.supernetEstimate()) + " ("
                    + TrialInfo.SUPERNET_ESTIMATE + ")");
        }
        for (RetrainInfo r : s.retrains()) {
            if (r.trialNumber() == number) {
                item(numbers, "Test accuracy", r.testAccuracy() == null ? r.status() : Format.accuracy(
                        r.testAccuracy()) + " (" + r.kindInWords() + ", " + r.epochs() + " epochs"
                        + (r.trainImages() == null ? "" : " on " + r.trainImages() + " images") + ")");
            }
        }
        if (t.parameters() != null) {
            item(numbers, "Parameters", String.format(Locale.ROOT, "%,d", t.parameters()));
        }
        if (t.flops() != null) {
            item(numbers, "Multiply-accumulates per image", String.format(Locale.ROOT, "%,d", t.flops()));
        }
        if (t.epochsTrained() != null) {
            item(numbers, "Epochs trained", String.valueOf(t.epochsTrained()));
        }
        if (t.seconds() != null) {
            item(numbers, "Wall time", String.format(Locale.ROOT, "%.1f s", t.seconds()));
        }
        if (t.worker() != null) {
            item(numbers, "Worker", t.worker() + (t.attempts() > 1 ? " (attempt " + t.attempts() + ")" : ""));
        }
        if (t.failure() != null) {
            item(numbers, "Failure", t.failure());
        }
        cell.setGraph(Cells.diagram(s.request().space(), t.arch()));
        curve.setOption(Charts.trialCurve(number, t.epochs()));
        String base = "/api/searches/" + searchId + "/trials/" + number + "/export?format=";
        json.setHref(base + "json");
        onnx.setHref(base + "onnx");
        pytorch.setHref(base + "pytorch");
        boolean trained = "SUCCEEDED".equals(t.status()) || "STOPPED".equals(t.status());
        onnx.setVisible(trained);
        pytorch.setVisible(trained);
        SearchRequest r = s.request();
        provenance.removeAll();
        item(provenance, "Search", searchId + " (" + s.status() + ")" + (r.recipeLabel().isEmpty() ? ""
                : ", recipe " + r.recipeLabel()));
        item(provenance, "Space and controller", r.space() + ", " + r.controller() + " " + r.options() + ", "
                + (r.weightSharing() ? "weight sharing " + r.supernet() : "stand-alone"));
        item(provenance, "Network", "C=" + r.channels() + ", " + r.cellsPerStage() + " cell(s) per stage");
        item(provenance, "Data", r.dataset() + ": train " + r.trainSize() + " / validation " + r.validationSize()
                + " images (split seed " + r.splitSeed() + "); the test split is read only by the final retraining");
        item(provenance, "Training", r.epochs() + " epoch(s), " + r.optimizer() + " lr " + r.learningRate()
                + ", batch " + r.batchSize() + ", augmentation " + r.augmentation() + ", seed " + r.seed());
        missing.setText("");
    }

    private static void item(UnorderedList list, String name, String value) {
        ListItem li = new ListItem(new Span(name + ": "), new Span(value));
        li.getElement().setAttribute("data-name", name);
        list.add(li);
    }
}
