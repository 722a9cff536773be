package org.cellforge.web.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;

import org.cellforge.controller.ControllerKind;
import org.cellforge.controller.Controllers;
import org.cellforge.controller.option.Option;
import org.cellforge.controller.option.Violation;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.engine.Retraining;
import org.cellforge.engine.SearchRequest;
import org.cellforge.engine.WeightSharing;
import org.cellforge.engine.Spaces;
import org.cellforge.engine.stopping.EarlyStopping;
import org.cellforge.web.search.RecipeShelf;
import org.cellforge.web.search.SearchInfo;
import org.cellforge.web.search.SearchService;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/**
 * All searches, newest first, refreshed while the page is open, with a form to start one. The form
 * is validated by the same code as REST and the command line; each error shows beside its field.
 */
@Route("")
@PageTitle("Cellforge: searches")
@PermitAll
public final class SearchesView extends VerticalLayout {

    private final SearchService service;
    private final Grid<SearchInfo> grid = new Grid<>(SearchInfo.class, false);
    private final Rows rows = new Rows();
    private final Select<String> space = new Select<>();
    private final Select<String> controller = new Select<>();
    private final IntegerField trials = new IntegerField("Trials");
    private final IntegerField epochs = new IntegerField("Epochs per trial");
    private final IntegerField seed = new IntegerField("Seed");
    private final TextField dataset = new TextField("Dataset");
    private final Select<String> optimizer = new Select<>();
    private final Select<String> augmentation = new Select<>();
    private final IntegerField warmStart = new IntegerField("Warm start (NASWOT candidates)");
    private final Select<String> earlyStopping = new Select<>();
    private final IntegerField retrainEpochs = new IntegerField("Final retraining epochs");
    private final Select<String> mode = new Select<>();
    private final IntegerField supernetEpochs = new IntegerField("Supernet epochs");
    private final Select<String> sampling = new Select<>();
    private final IntegerField finalists = new IntegerField("Finalists");
    private final IntegerField channels = new IntegerField("Channels (C)");
    private final IntegerField cellsPerStage = new IntegerField("Cells per stage (N)");
    private final IntegerField batchSize = new IntegerField("Batch size");
    private final NumberField learningRate = new NumberField("Learning rate");
    private final IntegerField trainSize = new IntegerField("Training images");
    private final IntegerField validationSize = new IntegerField("Validation images");
    private final HorizontalLayout optionFields = new HorizontalLayout();
    private final Select<String> recipe = new Select<>();
    /** The chosen recipe's description, under the form's first row. */
    private final Span recipeDescription = new Span();
    /** The final retraining's settings by name, as a {@code retraining} object holds them. */
    private final Map<String, Component> retrainingFields = new LinkedHashMap<>();
    /**
     * The request of the recipe last chosen, which the form's values override field by field, so the
     * search keeps the recipe's name and version and what the form does not show (threads, split seed).
     */
    private SearchRequest recipeRequest;
    /** Each controller's option fields by option name, shown only for the controller chosen. */
    private final Map<String, Map<String, Component>> controllerOptions = new LinkedHashMap<>();
    private final Span message = new Span();
    /** Whether the user who opened this view may change searches; redraws pushed later have no request to ask. */
    private final boolean operator = Access.operates();

    @Inject
    public SearchesView(SearchService service, org.cellforge.web.search.SearchFeed feed, RecipeShelf recipes) {
        this.service = service;
        setSizeFull();
        add(Access.bar(), new H2("Searches"));

        space.setLabel("Space");
        space.setItems(Spaces.names());
        space.setValue(Spaces.names().get(0));
        space.setId("space");
        controller.setLabel("Controller");
        controller.setItems(Controllers.names());
        controller.setValue(Controllers.names().get(0));
        controller.setId("controller");
        controller.addValueChangeListener(e -> {
            showOptions(e.getValue());
            // A one-shot strategy searches by weight sharing only.
            if (Controllers.named(e.getValue()).map(ControllerKind::oneShot).orElse(false)) {
                mode.setValue(WeightSharing.SHARED);
            }
            showSupernetFields();
        });
        mode.setLabel("Mode");
        mode.setItems(WeightSharing.MODES);
        mode.setValue(WeightSharing.STANDALONE);
        mode.setId("mode");
        mode.setHelperText("weight-sharing: candidates inherit one supernet's weights");
        mode.addValueChangeListener(e -> showSupernetFields());
        sampling.setLabel("Sampling");
        sampling.setItems(WeightSharing.UNIFORM, WeightSharing.CONTROLLER);
        sampling.setValue(WeightSharing.UNIFORM);
        sampling.setId("sampling");
        sampling.setHelperText("supernet paths: uniform, or the controller's (ENAS with reinforce)");
        sampling.setVisible(false);
        finalists.setMin(1);
        finalists.setId("finalists");
        finalists.setHelperText("best estimates trained stand-alone; empty: 3");
        finalists.setVisible(false);
        supernetEpochs.setMin(1);
        supernetEpochs.setId("supernet-epochs");
        supernetEpochs.setHelperText("empty: 5; for darts the epochs of the search");
        supernetEpochs.setVisible(false);
        trials.setValue(10);
        trials.setMin(1);
        trials.setId("trials");
        epochs.setValue(1);
        epochs.setMin(1);
        epochs.setId("epochs");
        seed.setValue(0);
        dataset.setValue(SearchRequest.FASHION_MNIST);
        dataset.setHelperText("fashion-mnist, or FORMAT:DIR (idx, cifar10, cifar100, folder) with DIR under the "
                + "server's dataset roots");
        optimizer.setLabel("Optimizer");
        optimizer.setItems(SearchRequest.OPTIMIZERS);
        optimizer.setValue("sgd");
        augmentation.setLabel("Augmentation");
        augmentation.setItems(SearchRequest.AUGMENTATIONS);
        augmentation.setValue("none");
        warmStart.setValue(0);
        warmStart.setMin(0);
        warmStart.setHelperText("0: none");
        earlyStopping.setLabel("Early stopping");
        earlyStopping.setItems(EarlyStopping.RULES);
        earlyStopping.setValue(EarlyStopping.NONE);
        // Defaults that finish in a few minutes on a laptop: a small network on part of the data.
        channels.setValue(8);
        channels.setMin(1);
        channels.setId("channels");
        channels.setHelperText("width of the first stage; doubles at each reduction");
        cellsPerStage.setValue(1);
        cellsPerStage.setMin(1);
        cellsPerStage.setId("cells-per-stage");
        cellsPerStage.setHelperText("searched cells between reductions");
        batchSize.setValue(128);
        batchSize.setMin(1);
        batchSize.setId("batch-size");
        learningRate.setId("learning-rate");
        learningRate.setHelperText("empty: 0.05 for sgd, 0.001 for adam; cosine schedule");
        trainSize.setValue(5000);
        trainSize.setMin(1);
        trainSize.setId("train-size");
        trainSize.setHelperText("trials train on these, cut from the training file");
        validationSize.setValue(2000);
        validationSize.setMin(1);
        validationSize.setId("validation-size");
        validationSize.setHelperText("trials are ranked on these; the test split is kept for the end");
        trials.setHelperText("architectures to train (the budget)");
        epochs.setHelperText("training epochs of each trial");
        seed.setHelperText("the same seed proposes the same trials");
        warmStart.setId("warm-start");
        retrainEpochs.setMin(0);
        retrainEpochs.setId("retrain-epochs");
        retrainEpochs.setHelperText("empty: as many as each trial; 0: none");
        for (ControllerKind k : Controllers.all()) {
            Map<String, Component> fields = new LinkedHashMap<>();
            for (Option o : k.options()) {
                fields.put(o.name(), field("option-" + k.name() + "-" + o.name(), o, "off"));
            }
            controllerOptions.put(k.name(), fields);
        }
        for (Option o : Retraining.OPTIONS) {
            Component f = field("retraining-" + o.name(), o, o.name().equals("minutes") ? "no time budget"
                    : "as the trials'");
            // Beside the trials' own settings of the same names, these say whose they are.
            ((com.vaadin.flow.component.HasLabel) f).setLabel("Retraining " + o.name());
            retrainingFields.put(o.name(), f);
        }
        Map<String, RecipeShelf.Entry> shelf = new LinkedHashMap<>();
        recipes.recipes().forEach(r -> shelf.put(r.label(), r));
        recipe.setLabel("Recipe");
        recipe.setId("recipe");
        recipe.setEmptySelectionAllowed(true);
        recipe.setEmptySelectionCaption("none");
        recipe.setItems(shelf.keySet());
        recipe.setWidth("16em");
        recipeDescription.setId("recipe-description");
        recipeDescription.getStyle().set("font-size", "var(--lumo-font-size-s)");
        recipeDescription.getStyle().set("color", "var(--lumo-secondary-text-color)");
        recipe.setHelperText(shelf.isEmpty() ? "no recipe files on the server" : "fills the form; what you change "
                + "overrides it, an emptied field keeps the recipe's value");
        recipe.addValueChangeListener(e -> {
            RecipeShelf.Entry chosen = e.getValue() == null ? null : shelf.get(e.getValue());
            recipeRequest = chosen == null ? null : chosen.request();
            recipeDescription.setText(chosen == null ? "" : chosen.description());
            if (chosen != null) {
                fill(chosen.request().withDefaults());
            }
        });
        Button start = new Button("Start search", e -> start());
        start.setId("start-search");
        HorizontalLayout first = new HorizontalLayout(recipe, space, controller, mode, supernetEpochs, sampling,
                finalists, trials, epochs, seed, dataset);
        HorizontalLayout training = new HorizontalLayout(channels, cellsPerStage, trainSize, validationSize, batchSize,
                learningRate);
        HorizontalLayout second = new HorizontalLayout(optimizer, augmentation, warmStart, earlyStopping,
                retrainEpochs);
        retrainingFields.values().forEach(second::add);
        second.add(start);
        for (HorizontalLayout row : List.of(first, training, second, optionFields)) {
            row.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
            row.setWrap(true);
        }
        optionFields.setId("controller-options");
        message.setId("search-message");
        // A viewer sees the searches, not the form that starts one.
        for (HorizontalLayout row : List.of(first, optionFields, training, second)) {
            row.setVisible(operator);
        }
        recipeDescription.setVisible(operator);
        add(first, recipeDescription, optionFields, training, second, message);
        showOptions(controller.getValue());

        grid.setId("searches");
        grid.addColumn(SearchInfo::id).setHeader("Id").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(SearchInfo::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(s -> s.request().space()).setHeader("Space").setAutoWidth(true);
        grid.addColumn(s -> s.request().controller()).setHeader("Controller").setAutoWidth(true);
        grid.addColumn(s -> s.request().mode()).setHeader("Mode").setAutoWidth(true);
        grid.addComponentColumn(s -> {
            SearchDetailView.Progress p = SearchDetailView.Progress.of(s);
            com.vaadin.flow.component.progressbar.ProgressBar bar = new com.vaadin.flow.component.progressbar
                    .ProgressBar(0, 1, p.fraction());
            bar.setWidth("8em");
            Span text = new Span(p.text());
            text.getStyle().set("white-space", "normal");
            text.getStyle().set("font-size", "var(--lumo-font-size-s)");
            VerticalLayout cell = new VerticalLayout(bar, text);
            cell.setPadding(false);
            cell.setSpacing(false);
            return cell;
        }).setHeader("Progress").setWidth("15em").setFlexGrow(0);
        grid.addColumn(s -> Format.accuracy(s.bestValidationAccuracy())).setHeader("Best val. accuracy (stand-alone)")
                .setAutoWidth(true);
        grid.addColumn(s -> Format.testAccuracy(s.bestTestAccuracy(),
                s.request().retrainingSettings().testTimeAugmentation())).setHeader("Test accuracy (retrained)")
                .setAutoWidth(true);
        grid.addColumn(s -> s.bestArch() == null ? "" : s.bestArch()).setHeader("Best architecture").setFlexGrow(1)
                .setResizable(true);
        grid.addColumn(s -> Format.instant(s.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true).setFlexGrow(0)
                .setFrozenToEnd(true).setVisible(operator);
        grid.addItemClickListener(e -> {
            if (e.getItem() != null) {
                getUI().ifPresent(ui -> ui.navigate(SearchDetailView.class, e.getItem().id()));
            }
        });
        grid.setItems(rows);
        grid.setSizeFull();
        // Below an operator's form on a laptop screen the grid would shrink to a row or two, partly
        // under its own scroll bar; the page scrolls instead.
        grid.setMinHeight("20em");
        add(grid);
        refresh();
        Live.whileAttached(this, feed, changed -> true, this::refresh);
    }

    /** Cancel, pause and resume, each shown only to operators and where the search's state allows it. */
    private Component actions(SearchInfo s) {
        HorizontalLayout row = new HorizontalLayout();
        row.setSpacing(false);
        if (!operator) {
            return row;
        }
        if (List.of("QUEUED", "RUNNING", "PAUSED", "RETRAINING").contains(s.status())) {
            row.add(action("Cancel", "cancel-" + s.id(), () -> service.cancel(s.id())));
        }
        if (List.of("QUEUED", "RUNNING").contains(s.status())) {
            row.add(action("Pause", "pause-" + s.id(), () -> service.pause(s.id())));
        }
        if (List.of("INTERRUPTED", "PAUSED").contains(s.status())) {
            row.add(action("Resume", "resume-" + s.id(), () -> service.resume(s.id())));
        }
        if (List.of("SUCCEEDED", "FAILED", "INTERRUPTED").contains(s.status())) {
            Button delete = new Button("Delete", e -> {
                com.vaadin.flow.component.confirmdialog.ConfirmDialog confirm = new com.vaadin.flow.component
                        .confirmdialog.ConfirmDialog("Delete search " + s.id() + "?", "Its trials, learning curves, "
                        + "checkpoints and retrainings are removed with it. This cannot be undone.", "Delete",
                        c -> perform(() -> service.delete(s.id())));
                confirm.setCancelable(true);
                confirm.setConfirmButtonTheme("error primary");
                confirm.setId("confirm-delete-" + s.id());
                confirm.open();
            });
            styleAction(delete, "delete-" + s.id());
            row.add(delete);
        }
        return row;
    }

    private Button action(String label, String id, Runnable run) {
        Button b = new Button(label, e -> perform(run));
        styleAction(b, id);
        return b;
    }

    /** Runs a change as an operator, showing why it was refused instead of failing the page. */
    private void perform(Runnable run) {
        try {
            Access.asOperator(run);
            message.setText("");
        } catch (org.cellforge.engine.ConflictException | org.cellforge.engine.NotFoundException
                | SecurityException ex) {
            message.setText(ex.getMessage());
        }
        refresh();
    }

    private static void styleAction(Button b, String id) {
        b.addThemeVariants(com.vaadin.flow.component.button.ButtonVariant.LUMO_SMALL,
                com.vaadin.flow.component.button.ButtonVariant.LUMO_TERTIARY);
        b.setId(id);
    }

    /**
     * The grid's rows, refreshed in place and identified by search id: a row keeps its client key
     * while its search changes, so a click sent just before a refresh still finds its search
     * (new items on every refresh gave new keys, and such a click found nothing).
     */
    private static final class Rows extends ListDataProvider<SearchInfo> {

        Rows() {
            super(new ArrayList<>());
        }

        @Override
        public Object getId(SearchInfo search) {
            return search.id();
        }

        void replace(List<SearchInfo> searches) {
            getItems().clear();
            getItems().addAll(searches);
            refreshAll();
        }
    }

    /** A field for option {@code o}; {@code empty} says what leaving it empty means when it has no default. */
    private static Component field(String id, Option o, String empty) {
        Component c = switch (o.type()) {
            case INTEGER -> {
                IntegerField f = new IntegerField(o.name());
                if (o.defaultValue() instanceof Long d) {
                    f.setValue(d.intValue());
                }
                f.setMin((int) Math.max(Integer.MIN_VALUE, o.min()));
                f.setMax((int) Math.min(Integer.MAX_VALUE, o.max()));
                yield f;
            }
            case NUMBER -> {
                NumberField f = new NumberField(o.name());
                if (o.defaultValue() instanceof Double d) {
                    f.setValue(d);
                }
                yield f;
            }
            case CHOICE -> {
                Select<String> f = new Select<>();
                f.setLabel(o.name());
                f.setEmptySelectionAllowed(o.defaultValue() == null);
                f.setItems(o.choices());
                f.setValue((String) o.defaultValue());
                yield f;
            }
        };
        c.setId(id);
        if (c instanceof com.vaadin.flow.component.HasHelper h) {
            h.setHelperText(o.help() + (o.defaultValue() == null ? " (empty: " + empty + ")" : ""));
        }
        return c;
    }

    private void showOptions(String name) {
        optionFields.removeAll();
        controllerOptions.getOrDefault(name, Map.of()).values().forEach(optionFields::add);
    }

    private void start() {
        clearErrors();
        if (!Access.operates()) {
            message.setText("only an operator may start searches");
            return;
        }
        Map<String, Object> options = new LinkedHashMap<>();
        controllerOptions.getOrDefault(controller.getValue(), Map.of()).forEach((name, field) -> {
            Object v = ((HasValue<?, ?>) field).getValue();
            if (v != null && !"".equals(v)) {
                options.put(name, v);
            }
        });
        Map<String, Object> retraining = new LinkedHashMap<>();
        retrainingFields.forEach((name, field) -> {
            Object v = ((HasValue<?, ?>) field).getValue();
            if (v != null && !"".equals(v)) {
                retraining.put(name, v);
            }
        });
        try {
            SearchRequest form = SearchRequest.builder()
                    .space(space.getValue())
                    .controller(controller.getValue())
                    .options(options)
                    .trials(trials.getValue())
                    .epochs(epochs.getValue())
                    .seed(seed.getValue() == null ? null : seed.getValue().longValue())
                    .dataset(dataset.getValue())
                    .channels(channels.getValue())
                    .cellsPerStage(cellsPerStage.getValue())
                    .trainSize(trainSize.getValue())
                    .validationSize(validationSize.getValue())
                    .batchSize(batchSize.getValue())
                    .learningRate(learningRate.getValue())
                    .optimizer(optimizer.getValue())
                    .augmentation(augmentation.getValue())
                    .warmStart(warmStart.getValue())
                    .earlyStopping(earlyStopping())
                    .retrainEpochs(retrainEpochs.getValue())
                    .mode(mode.getValue())
                    .supernet(supernet())
                    .retraining(retraining)
                    .build();
            SearchInfo s = service.submit(recipeRequest == null ? form : recipeRequest.overriddenBy(form));
            message.setText(String.format(Locale.ROOT, "search %d started", s.id()));
            refresh();
        } catch (InvalidRequestException e) {
            List<String> unplaced = new ArrayList<>();
            for (Violation v : e.violations()) {
                if (!showError(v)) {
                    unplaced.add(v.toString());
                }
            }
            message.setText(unplaced.isEmpty() ? "the search was not started: see the fields marked"
                    : String.join("; ", unplaced));
        }
    }

    /**
     * The early-stopping rule chosen; the recipe's whole setting when it names the same rule, so that
     * the rule's own settings, which the form does not show, stay the recipe's.
     */
    private Map<String, Object> earlyStopping() {
        String rule = earlyStopping.getValue();
        if (recipeRequest != null && recipeRequest.earlyStopping() != null
                && rule.equals(recipeRequest.earlyStopping().get("rule"))) {
            return recipeRequest.earlyStopping();
        }
        return Map.of("rule", rule);
    }

    /** Shows the supernet settings that apply to the chosen mode and controller. */
    private void showSupernetFields() {
        boolean shared = WeightSharing.SHARED.equals(mode.getValue());
        boolean oneShot = Controllers.named(controller.getValue()).map(ControllerKind::oneShot).orElse(false);
        supernetEpochs.setVisible(shared);
        sampling.setVisible(shared && !oneShot);
        finalists.setVisible(shared && !oneShot);
    }

    /** The supernet settings the form shows for the chosen mode; null for a stand-alone search. */
    private Map<String, Object> supernet() {
        if (!WeightSharing.SHARED.equals(mode.getValue())) {
            return null;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        if (supernetEpochs.getValue() != null) {
            s.put("epochs", supernetEpochs.getValue());
        }
        if (sampling.isVisible()) {
            s.put("sampling", sampling.getValue());
        }
        if (finalists.isVisible() && finalists.getValue() != null) {
            s.put("finalists", finalists.getValue());
        }
        return s;
    }

    /** Marks the field a violation names; false if no field of the form shows it. */
    private boolean showError(Violation v) {
        Component field = switch (v.field()) {
            case "space" -> space;
            case "controller" -> controller;
            case "trials" -> trials;
            case "epochs" -> epochs;
            case "dataset" -> dataset;
            case "trainSize" -> trainSize;
            case "validationSize" -> validationSize;
            case "channels" -> channels;
            case "cellsPerStage" -> cellsPerStage;
            case "batchSize" -> batchSize;
            case "learningRate" -> learningRate;
            case "warmStart" -> warmStart;
            case "retrainEpochs" -> retrainEpochs;
            case "mode" -> mode;
            case "supernet.epochs" -> supernetEpochs;
            case "supernet.finalists" -> finalists;
            default -> v.field().startsWith("options.") ? controllerOptions.getOrDefault(controller.getValue(), Map.of())
                    .get(v.field().substring("options.".length()))
                    : v.field().startsWith("retraining.") ? retrainingFields.get(v.field().substring(
                            "retraining.".length()))
                    : v.field().startsWith("recipe") ? recipe : null;
        };
        if (field instanceof com.vaadin.flow.component.HasValidation h) {
            h.setErrorMessage(v.reason());
            h.setInvalid(true);
            return true;
        }
        return false;
    }

    private void clearErrors() {
        List<Component> all = new ArrayList<>(List.<Component>of(space, controller, trials, epochs, dataset, warmStart,
                retrainEpochs, mode, supernetEpochs, finalists, channels, cellsPerStage, trainSize, validationSize,
                batchSize, learningRate));
        controllerOptions.values().forEach(m -> all.addAll(m.values()));
        all.addAll(retrainingFields.values());
        all.add(recipe);
        for (Component c : all) {
            if (c instanceof com.vaadin.flow.component.HasValidation h) {
                h.setInvalid(false);
            }
        }
    }

    /** Shows every setting of {@code r} (defaults filled) that the form has a field for. */
    private void fill(SearchRequest r) {
        space.setValue(r.space());
        controller.setValue(r.controller());
        // Every option shows the recipe's value or its default, never what an earlier choice left.
        Controllers.named(r.controller()).ifPresent(k -> k.options().forEach(o -> {
            Component f = controllerOptions.get(k.name()).get(o.name());
            show(f, r.options().containsKey(o.name()) ? r.options().get(o.name()) : o.defaultValue());
        }));
        mode.setValue(r.mode());
        Map<String, Object> shared = r.supernet();
        show(supernetEpochs, shared.get("epochs"));
        sampling.setValue(shared.get("sampling") != null ? shared.get("sampling").toString() : WeightSharing.UNIFORM);
        show(finalists, shared.get("finalists"));
        trials.setValue(r.trials());
        epochs.setValue(r.epochs());
        // A seed beyond the field's range stays the recipe's: an empty field overrides nothing.
        seed.setValue(r.seed() >= Integer.MIN_VALUE && r.seed() <= Integer.MAX_VALUE ? r.seed().intValue() : null);
        dataset.setValue(r.dataset());
        channels.setValue(r.channels());
        cellsPerStage.setValue(r.cellsPerStage());
        trainSize.setValue(r.trainSize());
        validationSize.setValue(r.validationSize());
        batchSize.setValue(r.batchSize());
        learningRate.setValue(r.learningRate());
        optimizer.setValue(r.optimizer());
        augmentation.setValue(r.augmentation());
        warmStart.setValue(r.warmStart());
        Object rule = r.earlyStopping().get("rule");
        earlyStopping.setValue(rule == null ? EarlyStopping.NONE : rule.toString());
        retrainEpochs.setValue(r.retrainEpochs());
        Map<String, Object> retraining = Retraining.normalize(r.retraining());
        retrainingFields.forEach((name, field) -> show(field, retraining.get(name)));
        showSupernetFields();
    }

    /** Shows {@code value} (null: empty) in an option's field, whatever number type it was read as. */
    @SuppressWarnings("unchecked")
    private static void show(Component field, Object value) {
        if (field instanceof IntegerField f) {
            // A value beyond the field's range stays empty, which overrides nothing, rather than wrapping.
            f.setValue(value instanceof Number n && n.longValue() >= Integer.MIN_VALUE
                    && n.longValue() <= Integer.MAX_VALUE ? Integer.valueOf(n.intValue()) : null);
        } else if (field instanceof NumberField f) {
            f.setValue(value instanceof Number n ? Double.valueOf(n.doubleValue()) : null);
        } else if (field instanceof Select<?> f) {
            ((Select<String>) f).setValue(value == null ? null : value.toString());
        }
    }

    private void refresh() {
        rows.replace(service.list(0, 200));
    }
}
