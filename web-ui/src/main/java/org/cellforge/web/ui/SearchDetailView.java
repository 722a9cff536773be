package org.cellforge.web.ui;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.cellforge.engine.NotFoundException;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.web.search.RetrainInfo;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SupernetEpochInfo;
import org.cellforge.web.search.TrialInfo;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/**
 * One search: its settings, status, trials, final retrainings and Pareto front, refreshed while it
 * runs. Accuracies say their kind: stand-alone validation during the search, retrained test at the end.
 */
@Route("search")
@PageTitle("Cellforge: search")
public final class SearchDetailView extends VerticalLayout implements HasUrlParameter<Long> {

    private final org.cellforge.web.search.SearchService service;
    private final H2 title = new H2();
    private final Span summary = new Span();
    private final Span front = new Span();
    private final Anchor export = new Anchor();
    private final Anchor exportOnnx = new Anchor();
    private final Anchor exportPyTorch = new Anchor();
    private final Button cancel = new Button("Cancel search");
    private final Button pause = new Button("Pause");
    private final Button resume = new Button("Resume");
    private final Span actionMessage = new Span();
    private final Grid<TrialInfo> trials = new Grid<>(TrialInfo.class, false);
    private final Grid<RetrainInfo> retrains = new Grid<>(RetrainInfo.class, false);
    private final Grid<SupernetEpochInfo> supernet = new Grid<>(SupernetEpochInfo.class, false);
    private final H3 supernetTitle = new H3("Supernet training");
    private final Set<Integer> onFront = new HashSet<>();
    private long id;

    @Inject
    public SearchDetailView(org.cellforge.web.search.SearchService service) {
        this.service = service;
        setSizeFull();
        summary.setId("search-summary");
        front.setId("pareto-front");
        trials.setId("trials");
        trials.addColumn(TrialInfo::number).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        trials.addColumn(TrialInfo::arch).setHeader("Architecture").setAutoWidth(true).setFlexGrow(1);
        trials.addColumn(TrialInfo::status).setHeader("Status").setAutoWidth(true);
        trials.addColumn(t -> Format.accuracy(t.validationAccuracy())).setHeader("Val. accuracy (stand-alone)")
                .setAutoWidth(true).setComparator(t -> t.validationAccuracy() == null ? -1 : t.validationAccuracy());
        trials.addColumn(t -> Format.accuracy(t.supernetEstimate())).setHeader("Supernet estimate")
                .setAutoWidth(true).setComparator(t -> t.supernetEstimate() == null ? -1 : t.supernetEstimate());
        trials.addColumn(t -> onFront.contains(t.number()) ? "front" : "").setHeader("Pareto").setAutoWidth(true);
        trials.addColumn(t -> t.parameters() == null ? "" : String.format(Locale.ROOT, "%,d", t.parameters()))
                .setHeader("Parameters").setAutoWidth(true)
                .setComparator(t -> t.parameters() == null ? -1 : t.parameters());
        trials.addColumn(t -> t.flops() == null ? "" : String.format(Locale.ROOT, "%,d", t.flops()))
                .setHeader("FLOPs").setAutoWidth(true);
        trials.addColumn(t -> t.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", t.seconds()))
                .setHeader("Seconds").setAutoWidth(true);
        // The latest finished epoch, so a running trial shows its progress.
        trials.addColumn(t -> t.epochs().isEmpty() ? "" : String.valueOf(t.epochs().getLast().epoch()))
                .setHeader("Epochs done").setAutoWidth(true);
        trials.addColumn(t -> t.epochs().isEmpty() ? ""
                : String.format(Locale.ROOT, "%.3f", t.epochs().getLast().trainLoss())).setHeader("Train loss")
                .setAutoWidth(true);
        trials.addColumn(t -> t.epochs().isEmpty() ? ""
                : String.format(Locale.ROOT, "%,.0f", t.epochs().getLast().imagesPerSecond())).setHeader("Images/s")
                .setAutoWidth(true);
        trials.addColumn(t -> t.worker() == null ? "" : t.worker() + (t.attempts() > 1 ? " (attempt " + t.attempts()
                + ")" : "")).setHeader("Worker").setAutoWidth(true);
        trials.addColumn(t -> t.failure() == null ? "" : t.failure()).setHeader("Failure").setAutoWidth(true);
        trials.setSizeFull();
        retrains.setId("retrains");
        retrains.addColumn(RetrainInfo::trialNumber).setHeader("Trial").setAutoWidth(true).setFlexGrow(0);
        retrains.addColumn(RetrainInfo::arch).setHeader("Architecture").setFlexGrow(1);
        retrains.addColumn(RetrainInfo::status).setHeader("Status").setAutoWidth(true);
        retrains.addColumn(r -> Format.accuracy(r.testAccuracy())).setHeader("Test accuracy (retrained)")
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
        cancel.addClickListener(e -> act(() -> service.cancel(id)));
        pause.addClickListener(e -> act(() -> service.pause(id)));
        resume.addClickListener(e -> act(() -> service.resume(id)));
        pause.setId("pause-search");
        cancel.setId("cancel-search");
        resume.setId("resume-search");
        actionMessage.setId("action-message");
        add(new Anchor("", "All searches"), title, new HorizontalLayout(cancel, pause, resume, actionMessage), summary,
                new HorizontalLayout(export, exportOnnx, exportPyTorch),
                new H3("Final evaluation"), retrains, front, supernetTitle, supernet, new H3("Trials"), trials);
        Polling.whileAttached(this, this::refresh);
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
            action.run();
            actionMessage.setText("");
        } catch (org.cellforge.engine.ConflictException | NotFoundException e) {
            actionMessage.setText(e.getMessage());
        }
        refresh();
    }

    @Override
    public void setParameter(BeforeEvent event, Long parameter) {
        id = parameter;
        refresh();
    }

    /** What the final retraining changes of the trials' recipe, such as {@code , lr 0.1}. */
    private static String retrainingChanges(SearchRequest r) {
        Retraining t = r.retrainingSettings();
        return t.augmentation().map(a -> ", augmentation " + a).orElse("")
                + t.learningRate().map(v -> ", lr " + v).orElse("")
                + t.batchSize().map(b -> ", batch " + b).orElse("");
    }

    private void refresh() {
        try {
            SearchInfo s = service.get(id);
            SearchRequest r = s.request();
            title.setText("Search " + s.id() + (r.recipeLabel().isEmpty() ? "" : " (recipe " + r.recipeLabel() + ")")
                    + ": " + s.status());
            cancel.setVisible(List.of("QUEUED", "RUNNING", "PAUSED", "RETRAINING").contains(s.status()));
            pause.setVisible(List.of("QUEUED", "RUNNING").contains(s.status()));
            resume.setVisible(List.of("INTERRUPTED", "PAUSED").contains(s.status()));
            summary.setText(String.format(Locale.ROOT,
                    "%s, %s, %s controller %s, %d/%d trials, %d epoch(s) each, C=%d, N=%d, %s train %d / validation %d "
                            + "(split seed %d), %s lr %s, augmentation %s, seed %d, warm start %d, early stopping %s, "
                            + "final retraining %d epoch(s) of the %s on %s%s; best validation accuracy %s (stand-alone), "
                            + "test accuracy %s (retrained)%s",
                    r.space(), r.weightSharing() ? "weight sharing " + r.supernet() : "stand-alone", r.controller(),
                    r.options(), s.trialsFinished(), r.trials(), r.epochs(), r.channels(),
                    r.cellsPerStage(), r.dataset(), r.trainSize(), r.validationSize(), r.splitSeed(), r.optimizer(),
                    r.learningRate(), r.augmentation(), r.seed(), r.warmStart(), r.earlyStopping(), r.retrainEpochs(),
                    r.retrain(), r.retrainingSettings().data(), retrainingChanges(r),
                    Format.accuracy(s.bestValidationAccuracy()), Format.accuracy(s.bestTestAccuracy()),
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
            front.setText("Pareto front (validation accuracy against " + s.frontCost() + "): trials "
                    + s.paretoFront());
            trials.setItems(s.trials());
            retrains.setItems(s.retrains());
            supernet.setItems(s.supernetEpochs());
            supernetTitle.setVisible(!s.supernetEpochs().isEmpty());
            supernet.setVisible(!s.supernetEpochs().isEmpty());
        } catch (NotFoundException e) {
            title.setText("No search " + id);
            summary.setText("");
            trials.setItems();
            retrains.setItems();
        }
    }
}
