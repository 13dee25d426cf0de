package io.nowcast.ingest.caiso;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses an OASIS XML document with the JDK's StAX: either an {@code OASISReport} of {@code REPORT_DATA}
 * elements ({@code RESOURCE_NAME} = TAC area, {@code INTERVAL_START_GMT}, {@code INTERVAL_END_GMT},
 * {@code VALUE}), or OASIS's error document ({@code ERROR} with {@code ERR_CODE} and {@code ERR_DESC}), which
 * throws {@link OasisErrorException}. Elements are matched by local name, so the {@code m:} prefix and the
 * namespace OASIS uses do not matter. DTDs and external entities are refused.
 */
final class OasisXmlParser {
  private static final XMLInputFactory FACTORY = newFactory();

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }

  OasisParseResult parse(String request, String file, byte[] xml) {
    List<OasisRow> rows = new ArrayList<>();
    Map<String, Long> quarantine = new TreeMap<>();
    Map<String, String> fields = new HashMap<>();
    StringBuilder text = new StringBuilder();
    boolean inData = false;
    boolean sawReport = false;
    long items = 0;
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      while (r.hasNext()) {
        switch (r.next()) {
          case XMLStreamConstants.START_ELEMENT -> {
            String name = r.getLocalName();
            sawReport |= name.equals("OASISReport");
            if (name.equals("REPORT_DATA")) {
              inData = true;
              fields.clear();
            }
            text.setLength(0);
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text.append(r.getText());
          case XMLStreamConstants.END_ELEMENT -> {
            String name = r.getLocalName();
            if (name.equals("REPORT_DATA")) {
              inData = false;
              items++;
              OasisRow row = OasisFields.check(fields.get("RESOURCE_NAME"), fields.get("INTERVAL_START_GMT"),
                  fields.get("INTERVAL_END_GMT"), fields.get("VALUE"), items, quarantine);
              if (row != null) {
                rows.add(row);
              }
            } else if (inData || name.equals("ERR_CODE") || name.equals("ERR_DESC")) {
              fields.put(name, text.toString().strip());
            }
            text.setLength(0);
          }
          default -> { }
        }
      }
    } catch (XMLStreamException e) {
      throw new OasisFormatException(request, file + " is not well-formed XML: " + e.getMessage(), e);
    }
    if (fields.containsKey("ERR_CODE") || fields.containsKey("ERR_DESC")) {
      throw new OasisErrorException(request, fields.getOrDefault("ERR_CODE", "?"),
          fields.getOrDefault("ERR_DESC", "(no description)"));
    }
    if (!sawReport) {
      throw new OasisFormatException(request, file + " is XML but not an OASISReport");
    }
    return new OasisParseResult(file, rows, quarantine);
  }
}
