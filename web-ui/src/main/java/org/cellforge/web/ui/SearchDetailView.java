package org.cellforge.web.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;

import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.TrialStatus;
import org.cellforge.persistence.SearchRepository;
import org.cellforge.persistence.SearchRepository.TrialPoint;
import org.cellforge.web.search.RetrainInfo;
import org.cellforge.web.search.SearchFeed;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;
import org.cellforge.web.search.SupernetEpochInfo;
import org.cellforge.web.search.TrialInfo;
import org.cellforge.web.ui.component.CellGraph;
import org.cellforge.web.ui.component.EChart;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;

/**
 * One search as it runs: its settings and progress, charts of its trials, the cell of a chosen trial,
 * its final evaluation and a grid of its trials read a page at a time from the database. Redrawn when
 * the search changes, whichever process changed it. Accuracies say their kind: supernet estimate and
 * stand-alone validation during the search, retrained test at the end.
 */
@Route("search")
@PageTitle("Cellforge: search")
@PermitAll
public final class SearchDetailView extends VerticalLayout implements HasUrlParameter<Long> {

    /** Trial statuses the grid can be narrowed to; the first shows every trial. */
    private static final List<String> FILTERS = List.of("all", "RUNNING", "SUCCEEDED", "STOPPED", "FAILED");

    private final SearchService service;
    /** Whether the user who opened this view may change searches; redraws pushed later have no request to ask. */
    private final boolean operator = Access.operates();
    private final H2 title = new H2();
    private final Span summary = new Span();
    private final ProgressBar progress = new ProgressBar();
    private final Span progressText = new Span();
    private final Span front = new Span();
    private final Anchor export = new Anchor();
    private final Anchor exportOnnx = new Anchor();
    private final Anchor exportPyTorch = new Anchor();
    private final Button cancel = new Button("Cancel search");
    private final Button pause = new Button("Pause");
    private final Button resume = new Button("Resume");
    private final Span actionMessage = new Span();
    private final EChart byTrial = chart("chart-trials");
    private final EChart overTime = chart("chart-time");
    private final EChart byCost = chart("chart-cost");
    private final EChart curves = chart("chart-curves");
    private final H3 cellTitle = new H3();
    private final CellGraph cell = new CellGraph();
    private final RouterLink cellLink = new RouterLink();
    private final Grid<TrialInfo> trials = new Grid<>(TrialInfo.class, false);
    private final Select<String> statusFilter = new Select<>();
    private final Grid<RetrainInfo> retrains = new Grid<>(RetrainInfo.class, false);
    private final Grid<SupernetEpochInfo> supernet = new Grid<>(SupernetEpochInfo.class, false);
    private final H3 supernetTitle = new H3("Supernet training");
    private final FlexLayout alphaCharts = new FlexLayout();
    private final Set<Integer> onFront = new TreeSet<>();
    private long id;
    /** The trial whose cell is drawn; null for the best one. */
    private Integer chosen;
    private SearchInfo shown;

    @Inject
    public SearchDetailView(SearchService service, SearchFeed feed) {
        this.service = service;
        setWidthFull();
        summary.setId("search-summary");
        front.setId("pareto-front");
        progress.setId("search-progress");
        progress.setWidth("20em");
        progressText.setId("search-progress-text");
        cell.setId("cell-graph");
        cell.setWidthFull();
        cellTitle.setId("cell-title");
        cellLink.setId("cell-trial-link");
        trials.setId("trials");
        trials.setSelectionMode(Grid.SelectionMode.MULTI);
        trials.addColumn(TrialInfo::number).setHeader("#").setAutoWidth(true).setFlexGrow(0).setSortable(true)
                .setKey(SearchRepository.TrialOrder.NUMBER.name());
        trials.addComponentColumn(t -> new RouterLink(t.arch(), TrialView.class, TrialView.parameters(id,
                t.number()))).setHeader("Architecture").setAutoWidth(true).setFlexGrow(1);
        trials.addColumn(TrialInfo::status).setHeader("Status").setAutoWidth(true);
        trials.addColumn(t -> Format.accuracy(t.validationAccuracy())).setHeader("Val. accuracy (stand-alone)")
                .setAutoWidth(true).setSortable(true).setKey(SearchRepository.TrialOrder.ACCURACY.name());
        trials.addColumn(t -> Format.accuracy(t.supernetEstimate())).setHeader("Supernet estimate")
                .setAutoWidth(true);
        trials.addColumn(t -> onFront.contains(t.number()) ? "front" : "").setHeader("Pareto").setAutoWidth(true);
        trials.addColumn(t -> t.parameters() == null ? "" : String.format(Locale.ROOT, "%,d", t.parameters()))
                .setHeader("Parameters").setAutoWidth(true).setSortable(true)
                .setKey(SearchRepository.TrialOrder.PARAMETERS.name());
        trials.addColumn(t -> t.flops() == null ? "" : String.format(Locale.ROOT, "%,d", t.flops()))
                .setHeader("FLOPs").setAutoWidth(true);
        trials.addColumn(t -> t.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", t.seconds()))
                .setHeader("Seconds").setAutoWidth(true).setSortable(true)
                .setKey(SearchRepository.TrialOrder.SECONDS.name());
        trials.addColumn(t -> t.epochsTrained() == null ? "" : String.valueOf(t.epochsTrained()))
                .setHeader("Epochs").setAutoWidth(true);
        trials.addColumn(t -> t.worker() == null ? "" : t.worker() + (t.attempts() > 1 ? " (attempt " + t.attempts()
                + ")" : "")).setHeader("Worker").setAutoWidth(true);
        trials.addColumn(t -> t.failure() == null ? "" : t.failure()).setHeader("Failure").setAutoWidth(true);
        trials.setMultiSort(false);
        trials.setHeight("32em");
        trials.setItems(query -> {
            SearchRepository.TrialOrder order = SearchRepository.TrialOrder.NUMBER;
            boolean descending = false;
            for (var s : query.getSortOrders()) {
                order = SearchRepository.TrialOrder.valueOf(s.getSorted());
                descending = s.getDirection() == SortDirection.DESCENDING;
            }
            return service.trials(id, filter(), order, descending, query.getOffset(), query.getLimit()).stream();
        }, query -> (int) Math.min(Integer.MAX_VALUE, service.countTrials(id, filter())))
                .setIdentifierProvider(TrialInfo::number);
        trials.addItemClickListener(e -> {
            chosen = e.getItem().number();
            drawCell(shown);
        });
        trials.addSelectionListener(e -> drawCurves());
        trials.sort(GridSortOrder.desc(trials.getColumnByKey(SearchRepository.TrialOrder.NUMBER.name())).build());
        statusFilter.setLabel("Show trials");
        statusFilter.setItems(FILTERS);
        statusFilter.setValue(FILTERS.getFirst());
        statusFilter.setId("trial-filter");
        statusFilter.addValueChangeListener(e -> trials.getDataProvider().refreshAll());
        byTrial.addTrialClickListener(this::openTrial);
        overTime.addTrialClickListener(this::openTrial);
        byCost.addTrialClickListener(this::openTrial);
        curves.addTrialClickListener(this::openTrial);

        retrains.setId("retrains");
        retrains.addColumn(RetrainInfo::trialNumber).setHeader("Trial").setAutoWidth(true).setFlexGrow(0);
        retrains.addColumn(RetrainInfo::arch).setHeader("Architecture").setFlexGrow(1);
        retrains.addColumn(RetrainInfo::status).setHeader("Status").setAutoWidth(true);
        retrains.addColumn(r -> Format.testAccuracy(r.testAccuracy(), r.testTimeAugmentation()))
                .setHeader("Test accuracy (retrained)")
                .setAutoWidth(true);
        retrains.addColumn(r -> r.epochs() + (r.trainImages() == null ? "" : " on " + r.trainImages() + " images"))
                .setHeader("Retraining").setAutoWidth(true);
        retrains.addColumn(r -> r.failure() == null ? "" : r.failure()).setHeader("Failure").setAutoWidth(true);
        retrains.setAllRowsVisible(true);
        supernet.setId("supernet-epochs");
        supernet.addColumn(e -> e.epoch() + " / " + e.epochs()).setHeader("Epoch").setAutoWidth(true).setFlexGrow(0);
        supernet.addColumn(e -> e.trainLoss() == null ? "" : String.format(Locale.ROOT, "%.4f", e.trainLoss()))
                .setHeader("Train loss").setAutoWidth(true);
        supernet.addColumn(e -> Format.accuracy(e.estimate())).setHeader("Val. accuracy (supernet estimate)")
                .setAutoWidth(true);
        supernet.addColumn(e -> e.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", e.seconds()))
                .setHeader("Seconds").setAutoWidth(true);
        supernet.addColumn(SearchDetailView::strongest).setHeader("Strongest operation per edge (softmax of alpha)")
                .setFlexGrow(1);
        supernet.setAllRowsVisible(true);
        alphaCharts.setId("alpha-charts");
        alphaCharts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        alphaCharts.setWidthFull();

        cancel.addClickListener(e -> act(() -> service.cancel(id)));
        pause.addClickListener(e -> act(() -> service.pause(id)));
        resume.addClickListener(e -> act(() -> service.resume(id)));
        pause.setId("pause-search");
        cancel.setId("cancel-search");
        resume.setId("resume-search");
        actionMessage.setId("action-message");
        FlexLayout charts = new FlexLayout(byTrial, overTime, byCost, curves);
        charts.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        charts.setWidthFull();
        charts.setId("charts");
        Div cellBox = new Div(cellTitle, cellLink, cell);
        cellBox.setWidthFull();
        add(Access.bar(), new RouterLink("All searches", SearchesView.class), title,
                new HorizontalLayout(cancel, pause, resume, actionMessage),
                new HorizontalLayout(progress, progressText), summary,
                new HorizontalLayout(export, exportOnnx, exportPyTorch), charts, cellBox,
                new H3("Final evaluation"), retrains, front, supernetTitle, alphaCharts, supernet,
                new H3("Trials"), statusFilter, trials);
        Live.whileAttached(this, feed, changed -> changed == id, this::refresh);
    }

    private static EChart chart(String id) {
        EChart c = new EChart();
        c.setId(id);
        c.setWidth("48%");
        c.setMinWidth("28em");
        c.setHeight("22em");
        return c;
    }

    private TrialStatus filter() {
        String f = statusFilter.getValue();
        return f == null || f.equals(FILTERS.getFirst()) ? null : TrialStatus.valueOf(f);
    }

    private void openTrial(int number) {
        getUI().ifPresent(ui -> ui.navigate(TrialView.class, TrialView.parameters(id, number)));
    }

    /** DARTS's architecture weights after an epoch: each cell's strongest operation and its weight, per edge. */
    @SuppressWarnings("unchecked")
    static String strongest(SupernetEpochInfo e) {
        if (e.alpha() == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> cell : e.alpha()) {
            List<String> ops = (List<String>) cell.get("ops");
            b.append(b.isEmpty() ? "" : "; ").append(cell.get("cell")).append(':');
            for (List<Number> edge : (List<List<Number>>) cell.get("weights")) {
                int k = 0;
                for (int j = 1; j < edge.size(); j++) {
                    k = edge.get(j).doubleValue() > edge.get(k).doubleValue() ? j : k;
                }
                b.append(String.format(Locale.ROOT, " %s %.2f", ops.get(k), edge.get(k).doubleValue()));
            }
        }
        return b.toString();
    }

    /** Runs a lifecycle action, showing why it was refused instead of failing the page. */
    private void act(Runnable action) {
        try {
            Access.asOperator(action);
            actionMessage.setText("");
        } catch (org.cellforge.engine.ConflictException | NotFoundException | SecurityException e) {
            actionMessage.setText(e.getMessage());
        }
        refresh();
    }

    @Override
    public void setParameter(BeforeEvent event, Long parameter) {
        id = parameter;
        chosen = null;
        shown = null;
        // The view may be reused for another search: its ticked trials belong to the last one.
        trials.deselectAll();
        refresh();
    }

    /** How long the final retraining is: {@code 60 epoch(s)}, or its time budget and ceiling. */
    private static String retrainingLength(SearchRequest r) {
        return r.retrainingSettings().budget()
                .map(b -> String.format(Locale.ROOT, "as many epochs as fit in %s (at most %d)", b, r.retrainEpochs()))
                .orElse(r.retrainEpochs() + " epoch(s)");
    }

    /** What the final retraining changes of the trials' recipe, such as {@code , lr 0.1}. */
    private static String retrainingChanges(SearchRequest r) {
        Retraining t = r.retrainingSettings();
        return t.augmentation().map(a -> ", augmentation " + a).orElse("")
                + t.learningRate().map(v -> ", lr " + v).orElse("")
                + t.batchSize().map(b -> ", batch " + b).orElse("")
                + t.testedAs().map(a -> ", tested with " + a).orElse("");
    }

    private void refresh() {
        SearchInfo s;
        List<TrialPoint> points;
        try {
            SearchService.Overview overview = service.overview(id);
            s = overview.search();
            points = overview.points();
        } catch (NotFoundException e) {
            title.setText("No search " + id);
            summary.setText("");
            for (com.vaadin.flow.component.Component c : List.of(progress, progressText, cancel, pause, resume,
                    byTrial, overTime, byCost, curves, cellTitle, cellLink, cell, retrains, front, supernetTitle,
                    supernet, alphaCharts, statusFilter, trials, export, exportOnnx, exportPyTorch)) {
                c.setVisible(false);
            }
            return;
        }
        for (com.vaadin.flow.component.Component c : List.of(progress, progressText, byTrial, overTime, byCost,
                curves, cellTitle, retrains, front, statusFilter, trials, export, exportOnnx, exportPyTorch)) {
            c.setVisible(true);
        }
        shown = s;
        SearchRequest r = s.request();
        title.setText("Search " + s.id() + (r.recipeLabel().isEmpty() ? "" : " (recipe " + r.recipeLabel() + ")")
                + ": " + s.status());
        cancel.setVisible(operator && List.of("QUEUED", "RUNNING", "PAUSED", "RETRAINING").contains(s.status()));
        pause.setVisible(operator && List.of("QUEUED", "RUNNING").contains(s.status()));
        resume.setVisible(operator && List.of("INTERRUPTED", "PAUSED").contains(s.status()));
        progress.setValue(Progress.of(s).fraction());
        progressText.setText(Progress.of(s).text());
        summary.setText(String.format(Locale.ROOT,
                "%s, %s, %s controller %s, %d epoch(s) per trial, C=%d, N=%d, %s train %d / validation %d "
                        + "(split seed %d), %s lr %s, augmentation %s, seed %d, warm start %d, early stopping %s, "
                        + "final retraining of the %s on %s for %s%s; best validation accuracy %s (stand-alone"
                        + "%s), test accuracy %s (retrained)%s",
                r.space(), r.weightSharing() ? "weight sharing " + r.supernet() : "stand-alone", r.controller(),
                r.options(), r.epochs(), r.channels(), r.cellsPerStage(), r.dataset(), r.trainSize(),
                r.validationSize(), r.splitSeed(), r.optimizer(), r.learningRate(), r.augmentation(), r.seed(),
                r.warmStart(), r.earlyStopping(), r.retrain(), r.retrainingSettings().data(), retrainingLength(r),
                retrainingChanges(r), Format.accuracy(s.bestValidationAccuracy()),
                s.bestTrial() == null ? "" : ", trial " + s.bestTrial(), Format.accuracy(s.bestTestAccuracy()),
                s.error() == null ? "" : "; error: " + s.error()));
        if (s.bestArch() != null) {
            export.setHref("/api/searches/" + s.id() + "/best/export?format=json");
            export.setText("Best architecture (JSON)");
            exportOnnx.setHref("/api/searches/" + s.id() + "/best/export?format=onnx");
            exportOnnx.setText("Trained network (ONNX)");
            exportPyTorch.setHref("/api/searches/" + s.id() + "/best/export?format=pytorch");
            exportPyTorch.setText("PyTorch module with weights");
        }
        onFront.clear();
        onFront.addAll(s.paretoFront());
        front.setText("Pareto front (validation accuracy against " + s.frontCost() + "): trials " + s.paretoFront());
        byTrial.setOption(Charts.accuracyByTrial(points));
        overTime.setOption(Charts.bestOverTime(points, s.startedAt()));
        byCost.setOption(Charts.accuracyByCost(points, s.paretoFront(), s.frontCost()));
        drawCurves();
        drawCell(s);
        retrains.setItems(s.retrains());
        boolean supernetShown = !s.supernetEpochs().isEmpty();
        supernet.setItems(s.supernetEpochs());
        supernetTitle.setVisible(supernetShown);
        supernet.setVisible(supernetShown);
        alphaCharts.removeAll();
        List<String> alphas = Charts.alphas(s.supernetEpochs());
        for (int i = 0; i < alphas.size(); i++) {
            EChart c = new EChart();
            c.setId("alpha-" + i);
            c.setWidth("24em");
            c.setHeight("16em");
            c.setOption(alphas.get(i));
            alphaCharts.add(c);
        }
        trials.getDataProvider().refreshAll();
    }

    /**
     * The learning curves of the trials ticked in the grid; with none ticked, of the best trial and
     * those still training.
     */
    private void drawCurves() {
        Set<Integer> numbers = new TreeSet<>();
        trials.getSelectedItems().forEach(t -> numbers.add(t.number()));
        if (numbers.isEmpty()) {
            if (shown != null && shown.bestTrial() != null) {
                numbers.add(shown.bestTrial());
            }
            service.trials(id, TrialStatus.RUNNING, SearchRepository.TrialOrder.NUMBER, false, 0, 8)
                    .forEach(t -> numbers.add(t.number()));
        }
        curves.setOption(Charts.learningCurves(service.curves(id, numbers)));
    }

    /** Draws the cell of the trial clicked in the grid, or of the best trial. */
    private void drawCell(SearchInfo s) {
        Integer number = chosen != null ? chosen : s == null ? null : s.bestTrial();
        if (number == null) {
            cellTitle.setText("Cell: no trial has finished yet");
            cell.setVisible(false);
            cellLink.setVisible(false);
            return;
        }
        TrialInfo t;
        String diagram;
        try {
            t = service.trial(id, number);
            diagram = Cells.diagram(s.request().space(), t.arch());
        } catch (RuntimeException e) {
            // A drawing that cannot be made must not take the rest of the page with it.
            cellTitle.setText("Cell of trial " + number + ": not drawn (" + e.getMessage() + ")");
            cell.setVisible(false);
            cellLink.setVisible(false);
            return;
        }
        cellTitle.setText("Cell of trial " + number + (chosen == null ? " (the best)" : "") + ": " + t.arch());
        cell.setGraph(diagram);
        cell.setVisible(true);
        cellLink.setText("Open trial " + number);
        cellLink.setRoute(TrialView.class, TrialView.parameters(id, number));
        cellLink.setVisible(true);
    }

    /** A search's progress as a line of text: trials done, elapsed time and, while it runs, when it should end. */
    record Progress(String text, double fraction) {

        static Progress of(SearchInfo s) {
            // A one-shot search (DARTS) trains one supernet and ends with the one architecture it derives.
            boolean oneShot = org.cellforge.controller.Controllers.named(s.request().controller())
                    .map(org.cellforge.controller.ControllerKind::oneShot).orElse(false);
            int budget = oneShot ? 1 : s.request().trials();
            Instant end = s.finishedAt() != null ? s.finishedAt() : Instant.now();
            String text = s.trialsFinished() + " / " + budget + " trials";
            if (s.startedAt() != null) {
                Duration elapsed = Duration.between(s.startedAt(), end);
                text += ", " + Format.duration(elapsed) + " elapsed";
                if (s.finishedAt() == null && s.trialsFinished() > 0 && s.trialsFinished() < budget
                        && "RUNNING".equals(s.status())) {
                    Duration left = elapsed.multipliedBy(budget - s.trialsFinished()).dividedBy(s.trialsFinished());
                    text += ", about " + Format.duration(left) + " left (at the pace so far, before retraining)";
                }
            }
            return new Progress(text, Math.min(1.0, s.trialsFinished() / (double) budget));
        }
    }
}
