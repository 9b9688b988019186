package dev.teardown.answer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the HTML report as the XML it also is (every element closed, attributes quoted, XML's character
 * references only), so tests query it with the JDK's own parser and XPath: a page that is not well formed fails.
 */
public final class Pages {
    private Pages() {}

    /** The page parsed; throws when it is not well-formed XML. */
    public static Document parse(String page) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well formed: " + e.getMessage(), e);
        }
    }

    /** The elements {@code xpath} selects. */
    public static List<Element> all(Node at, String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, at, XPathConstants.NODESET);
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
            return out;
        } catch (Exception e) {
            throw new AssertionError(xpath, e);
        }
    }

    /** The one element {@code xpath} selects; fails on none or several. */
    public static Element one(Node at, String xpath) {
        List<Element> e = all(at, xpath);
        if (e.size() != 1) throw new AssertionError(e.size() + " elements for " + xpath);
        return e.get(0);
    }

    /** {@code attribute} of every element {@code xpath} selects. */
    public static List<String> attrs(Node at, String xpath, String attribute) {
        return all(at, xpath).stream().map(e -> e.getAttribute(attribute)).toList();
    }

    /** {@code attribute} of the one element {@code xpath} selects, as a number. */
    public static long number(Node at, String xpath, String attribute) {
        return Long.parseLong(one(at, xpath).getAttribute(attribute));
    }
}
