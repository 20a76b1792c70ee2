package org.callbacks4j.processor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import org.callbacks4j.processor.validation.Diagnostic;
import org.callbacks4j.processor.validation.Message;
import org.callbacks4j.processor.validation.ValidationReport;

/**
 * Prints diagnostics to javac, each once: a superclass's hook methods are validated with each subclass that inherits
 * them, and their errors would otherwise repeat.
 *
 * <p>javac's {@link Messager} cannot place a message on an annotation that was repeated ({@code @EarlyStop} twice):
 * it looks for the container javac synthesized, which the source does not have, and falls back to the class. For
 * those, the message is placed through the compiler's tree API when the compiler offers it.
 */
final class Diagnostics {

    private final Messager messager;
    private final Trees trees;
    private final Set<String> printed = new HashSet<>();

    Diagnostics(ProcessingEnvironment env) {
        this.messager = env.getMessager();
        this.trees = trees(env);
    }

    private static Trees trees(ProcessingEnvironment env) {
        return JavacEnvironment.trees(env).orElse(null); // not javac: Messager alone
    }

    void print(ValidationReport report) {
        for (Diagnostic d : report.diagnostics()) {
            // Keyed by text, not element identity: javac may give an element a new object in a later round.
            if (printed.add(path(d.element()) + "\n" + d.text())) {
                if (d.annotation() == null) {
                    messager.printMessage(Kind.ERROR, d.text(), d.element());
                } else if (printOnRepeated(d)) {
                    continue;
                } else if (d.value() != null) {
                    messager.printMessage(Kind.ERROR, d.text(), d.element(), d.annotation(), d.value());
                } else {
                    messager.printMessage(Kind.ERROR, d.text(), d.element(), d.annotation());
                }
            }
        }
    }

    /**
     * Prints {@code d}, whose annotation is one of several repeated ones, at that annotation (or its value) in the
     * source; false if it is not such an annotation, or its source is not at hand.
     */
    private boolean printOnRepeated(Diagnostic d) {
        Element element = d.element();
        if (trees == null || element.getAnnotationMirrors().contains(d.annotation())) {
            return false;
        }
        TreePath path = trees.getPath(element);
        if (path == null) {
            return false; // from a class file
        }
        ModifiersTree modifiers = path.getLeaf() instanceof ClassTree c
                ? c.getModifiers()
                : path.getLeaf() instanceof MethodTree m ? m.getModifiers() : null;
        if (modifiers == null) {
            return false;
        }
        // The container lists the repeated annotations in source order.
        TypeElement type = (TypeElement) d.annotation().getAnnotationType().asElement();
        int index = -1;
        for (AnnotationMirror container : element.getAnnotationMirrors()) {
            for (AnnotationValue value : container.getElementValues().values()) {
                if (value.getValue() instanceof List<?> items) {
                    for (int i = 0; i < items.size(); i++) {
                        if (((AnnotationValue) items.get(i)).getValue() == d.annotation()) {
                            index = i;
                        }
                    }
                }
            }
        }
        AnnotationTree annotation = null;
        for (AnnotationTree candidate : modifiers.getAnnotations()) {
            Element candidateType = trees.getElement(new TreePath(path, candidate.getAnnotationType()));
            if (type.equals(candidateType) && index-- == 0) {
                annotation = candidate;
                break;
            }
        }
        if (annotation == null) {
            return false;
        }
        Tree at = annotation;
        if (d.value() != null) {
            String attribute = attributeName(d.annotation(), d.value());
            for (ExpressionTree argument : annotation.getArguments()) {
                if (argument instanceof AssignmentTree assignment
                        && assignment.getVariable().toString().equals(attribute)) {
                    at = assignment.getExpression();
                } else if (!(argument instanceof AssignmentTree) && attribute.equals("value")) {
                    at = argument;
                }
            }
        }
        trees.printMessage(Kind.ERROR, d.text(), at, path.getCompilationUnit());
        return true;
    }

    private static String attributeName(AnnotationMirror annotation, AnnotationValue value) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
                annotation.getElementValues().entrySet()) {
            if (entry.getValue() == value) {
                return entry.getKey().getSimpleName().toString();
            }
        }
        return "";
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
