package org.callbacks4j.processor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;
import org.callbacks4j.processor.validation.Diagnostic;
import org.callbacks4j.processor.validation.Message;
import org.callbacks4j.processor.validation.ValidationReport;

/**
 * Prints diagnostics to javac, each once: a superclass's hook methods are validated with each subclass that inherits
 * them, and their errors would otherwise repeat.
 */
final class Diagnostics {

    private final Messager messager;
    private final Set<String> printed = new HashSet<>();

    Diagnostics(Messager messager) {
        this.messager = messager;
    }

    void print(ValidationReport report) {
        for (Diagnostic d : report.diagnostics()) {
            // Keyed by text, not element identity: javac may give an element a new object in a later round.
            if (printed.add(path(d.element()) + "\n" + d.text())) {
                if (d.annotation() == null) {
                    messager.printMessage(Kind.ERROR, d.text(), d.element());
                } else if (d.value() != null) {
                    messager.printMessage(Kind.ERROR, d.text(), d.element(), d.annotation(), d.value());
                } else {
                    messager.printMessage(Kind.ERROR, d.text(), d.element(), d.annotation());
                }
            }
        }
    }

    void error(Element element, Message message, Object... args) {
        messager.printMessage(Kind.ERROR, message.format(args), element);
    }

    /** An unexpected exception: an error on the element being processed, with the stack trace to report. */
    void crash(Element element, String what, Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        String text = Message.PROCESSOR_CRASH.format(what, trace);
        if (element == null) {
            messager.printMessage(Kind.ERROR, text);
        } else {
            messager.printMessage(Kind.ERROR, text, element);
        }
    }

    private static String path(Element element) {
        Deque<String> names = new ArrayDeque<>();
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            names.addFirst(e.getKind() + " " + e);
        }
        return String.join("/", names);
    }
}
