"""Internal business units: requests between units and the units overview page (`/units/`)."""
