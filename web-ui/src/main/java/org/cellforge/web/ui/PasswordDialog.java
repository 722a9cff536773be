package org.cellforge.web.ui;

import org.cellforge.engine.ConflictException;
import org.cellforge.engine.InvalidRequestException;
import org.cellforge.web.security.AccountService;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;

import jakarta.enterprise.inject.spi.CDI;

/**
 * The signed-in user changes their own password, knowing the current one; the same check as
 * {@code PUT /api/account/password}. Users from the configuration are told where theirs is kept.
 */
final class PasswordDialog {

    private PasswordDialog() {
    }

    static void open(String user) {
        PasswordField current = new PasswordField("Current password");
        current.setId("current-password");
        PasswordField next = new PasswordField("New password");
        next.setId("next-password");
        next.setHelperText("12 to 72 characters");
        Span message = new Span();
        message.setId("password-message");
        message.getStyle().set("color", "var(--lumo-error-text-color)");
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Password of " + user);
        dialog.setId("password-dialog");
        Button save = new Button("Change", e -> {
            current.setInvalid(false);
            next.setInvalid(false);
            message.setText("");
            try {
                CDI.current().select(AccountService.class).get().changeOwn(user, current.getValue(), next.getValue());
                dialog.close();
                Notification.show("Password changed");
            } catch (InvalidRequestException ex) {
                ex.violations().forEach(v -> {
                    PasswordField field = v.field().equals("current") ? current : next;
                    field.setErrorMessage(v.reason());
                    field.setInvalid(true);
                });
            } catch (ConflictException ex) {
                message.setText(ex.getMessage());
            }
        });
        save.setId("save-password");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", e -> dialog.close());
        dialog.add(new VerticalLayout(current, next, message));
        dialog.getFooter().add(cancel, save);
        dialog.open();
    }
}
