# expect: ok  (find_spec to test for an optional package, metadata and resources)
import importlib.metadata
import importlib.resources
import importlib.util

HAS_PANDAS = importlib.util.find_spec("pandas") is not None
print("pandas" if HAS_PANDAS else "csv", importlib.metadata.version("requests"))
template = importlib.resources.files("string").joinpath("__init__.py")
print(template.name)
