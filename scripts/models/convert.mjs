console.log("models: converter not written yet")
