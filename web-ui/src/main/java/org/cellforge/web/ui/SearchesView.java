package org.cellforge.web.ui;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.cellforge.web.search.InvalidRequestException;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchRequest;
import org.cellforge.web.search.SearchService;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/** All searches, newest first, refreshed while the page is open, with a form to start one. */
@Route("")
@PageTitle("Cellforge: searches")
public class SearchesView extends VerticalLayout {

    private final SearchService service;
    private final Grid<SearchInfo> grid = new Grid<>(SearchInfo.class, false);
    private final IntegerField trials = new IntegerField("Trials");
    private final IntegerField epochs = new IntegerField("Epochs per trial");
    private final IntegerField seed = new IntegerField("Seed");
    private final TextField dataset = new TextField("Dataset");
    private final Select<String> optimizer = new Select<>();
    private final Select<String> augmentation = new Select<>();
    private final Span message = new Span();

    @Inject
    public SearchesView(SearchService service) {
        this.service = service;
        setSizeFull();
        add(new H2("Searches"));

        trials.setValue(10);
        trials.setMin(1);
        epochs.setValue(1);
        epochs.setMin(1);
        seed.setValue(0);
        dataset.setValue(SearchRequest.FASHION_MNIST);
        dataset.setHelperText("fashion-mnist, or FORMAT:DIR (idx, cifar10, cifar100, folder)");
        optimizer.setLabel("Optimizer");
        optimizer.setItems("sgd", "adam");
        optimizer.setValue("sgd");
        augmentation.setLabel("Augmentation");
        augmentation.setItems(SearchRequest.AUGMENTATIONS);
        augmentation.setValue("none");
        Button start = new Button("Start random search on NAS-Bench-201", e -> start());
        start.setId("start-search");
        HorizontalLayout form = new HorizontalLayout(trials, epochs, seed, dataset, optimizer, augmentation, start);
        form.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
        message.setId("search-message");
        add(form, message);

        grid.setId("searches");
        grid.addColumn(SearchInfo::id).setHeader("Id").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(SearchInfo::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(SearchInfo::space).setHeader("Space").setAutoWidth(true);
        grid.addColumn(SearchInfo::controller).setHeader("Controller").setAutoWidth(true);
        grid.addColumn(s -> s.trialsFinished() + " / " + s.trialBudget()).setHeader("Trials").setAutoWidth(true);
        grid.addColumn(s -> Format.accuracy(s.bestValidationAccuracy())).setHeader("Best val. accuracy")
                .setAutoWidth(true);
        grid.addColumn(s -> s.bestArch() == null ? "" : s.bestArch()).setHeader("Best architecture").setFlexGrow(1);
        grid.addColumn(s -> Format.instant(s.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(SearchDetailView.class, e.getItem().id())));
        grid.setSizeFull();
        add(grid);
        refresh();
        Polling.whileAttached(this, this::refresh);
    }

    private void start() {
        try {
            SearchInfo s = service.submit(new SearchRequest(null, null, trials.getValue(), epochs.getValue(),
                    seed.getValue() == null ? null : seed.getValue().longValue(), null, null, null, null, null,
                    dataset.getValue(), optimizer.getValue(), null, augmentation.getValue(), null));
            message.setText(String.format(Locale.ROOT, "search %d started", s.id()));
            refresh();
        } catch (InvalidRequestException e) {
            message.setText(e.getMessage());
        }
    }

    private void refresh() {
        List<SearchInfo> items = service.list(0, 200);
        grid.setItems(items);
    }
}
