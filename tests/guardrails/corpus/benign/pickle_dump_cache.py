# expect: warn B403  (writes a pickle cache; bandit notes the import)
import pickle
from pathlib import Path

results = {"runs": 12, "failures": 1}
Path("cache").mkdir(exist_ok=True)
with open("cache/results.pkl", "wb") as f:
    pickle.dump(results, f)
