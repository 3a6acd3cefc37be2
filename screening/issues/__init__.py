"""Issues: one record shape for every problem, its catalogue (catalogue.yaml) and the generated docs."""
