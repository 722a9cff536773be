package org.cellforge.web.ui;

import java.util.Locale;

import jakarta.inject.Inject;

import org.cellforge.web.search.NotFoundException;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;
import org.cellforge.web.search.TrialInfo;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/** One search: its settings, status and trials, refreshed while it runs. */
@Route("search")
@PageTitle("Cellforge: search")
public class SearchDetailView extends VerticalLayout implements HasUrlParameter<Long> {

    private final SearchService service;
    private final H2 title = new H2();
    private final Span summary = new Span();
    private final Anchor export = new Anchor();
    private final Anchor exportOnnx = new Anchor();
    private final Anchor exportPyTorch = new Anchor();
    private final Grid<TrialInfo> trials = new Grid<>(TrialInfo.class, false);
    private long id;

    @Inject
    public SearchDetailView(SearchService service) {
        this.service = service;
        setSizeFull();
        summary.setId("search-summary");
        trials.setId("trials");
        trials.addColumn(TrialInfo::number).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        trials.addColumn(TrialInfo::arch).setHeader("Architecture").setAutoWidth(true).setFlexGrow(1);
        trials.addColumn(TrialInfo::status).setHeader("Status").setAutoWidth(true);
        trials.addColumn(t -> Format.accuracy(t.validationAccuracy())).setHeader("Val. accuracy").setAutoWidth(true)
                .setComparator(t -> t.validationAccuracy() == null ? -1 : t.validationAccuracy());
        trials.addColumn(t -> t.parameters() == null ? "" : String.format(Locale.ROOT, "%,d", t.parameters()))
                .setHeader("Parameters").setAutoWidth(true);
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
        trials.addColumn(t -> t.failure() == null ? "" : t.failure()).setHeader("Failure").setAutoWidth(true);
        trials.setSizeFull();
        add(new Anchor("", "All searches"), title, summary, new HorizontalLayout(export, exportOnnx, exportPyTorch),
                trials);
        Polling.whileAttached(this, this::refresh);
    }

    @Override
    public void setParameter(BeforeEvent event, Long parameter) {
        id = parameter;
        refresh();
    }

    private void refresh() {
        try {
            SearchInfo s = service.get(id);
            title.setText("Search " + s.id() + ": " + s.status());
            summary.setText(String.format(Locale.ROOT,
                    "%s, %s controller, %d/%d trials, %d epoch(s) each, C=%d, N=%d, %s train %d / validation %d "
                            + "(split seed %d), %s lr %s, augmentation %s, seed %d; best validation accuracy %s "
                            + "(stand-alone training)%s",
                    s.space(), s.controller(), s.trialsFinished(), s.trialBudget(), s.epochsPerTrial(), s.channels(),
                    s.cellsPerStage(), s.dataset(), s.trainSize(), s.validationSize(), s.splitSeed(), s.optimizer(),
                    s.learningRate(), s.augmentation(), s.seed(),
                    Format.accuracy(s.bestValidationAccuracy()), s.error() == null ? "" : "; error: " + s.error()));
            if (s.bestArch() != null) {
                export.setHref("/api/searches/" + s.id() + "/best/export?format=json");
                export.setText("Export best genotype (JSON)");
                exportOnnx.setHref("/api/searches/" + s.id() + "/best/export?format=onnx");
                exportOnnx.setText("Trained network (ONNX)");
                exportPyTorch.setHref("/api/searches/" + s.id() + "/best/export?format=pytorch");
                exportPyTorch.setText("PyTorch module");
            }
            trials.setItems(s.trials());
        } catch (NotFoundException e) {
            title.setText("No search " + id);
            summary.setText("");
            trials.setItems();
        }
    }
}
